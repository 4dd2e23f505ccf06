import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

/**
 * Tests import the sources, but the integration tests run the `signet` command as a process, from
 * dist/. Building first (incrementally: seconds) means those tests never run stale code.
 */
export default function setup(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b', 'packages/cli'], { stdio: 'inherit' });
}
