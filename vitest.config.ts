import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packages = fileURLToPath(new URL('./packages/', import.meta.url));

// Tests run against the sources: `@signet/x` and `@signet/x/sub` resolve into packages/x/src.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@signet\/([\w-]+)$/, replacement: `${packages}$1/src/index.ts` },
      { find: /^@signet\/([\w-]+)\/([\w-]+)$/, replacement: `${packages}$1/src/$2/index.ts` },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Both cores (vitest's default leaves one idle): most tests wait on the processes they start.
    maxWorkers: 2,
    globalSetup: ['./vitest.global-setup.ts'],
    reporters: ['default', './vitest.summary-reporter.ts'],
  },
});
