import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const CONSOLE = 'packages/console';

/** The newest modification time under `path` (a file or a folder), in milliseconds. */
function newest(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newest(join(path, entry))));
}

/** The console's `vite build`, skipped when dist/ is newer than everything it is built from. */
function buildConsole(): void {
  const inputs = ['src', 'index.html', 'vite.config.ts', 'package.json', 'tsconfig.json'];
  const built = newest(join(CONSOLE, 'dist', 'index.html'));
  if (built > Math.max(...inputs.map((input) => newest(join(CONSOLE, input))))) return;
  const vite = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  // vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  const env = { ...process.env, NODE_ENV: 'production' };
  execFileSync(process.execPath, [vite, 'build', CONSOLE, '--logLevel', 'warn'], { stdio: 'inherit', env });
}

/**
 * Tests import the sources, but the integration tests run the `signet` command as a process, from
 * dist/, and the browser tests load the console the master serves from its dist/. Building first
 * (incrementally: seconds) means those tests never run stale code.
 */
export default function setup(): void {
  const tsc = require.resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b', 'packages/cli'], { stdio: 'inherit' });
  buildConsole();
}
