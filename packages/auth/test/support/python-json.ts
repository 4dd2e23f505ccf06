import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Runs a python3 script from this folder once, with `input` as JSON on stdin; returns its JSON output. */
export function runPythonJson<T>(script: string, input: unknown): T {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const result = spawnSync('python3', [path], { input: JSON.stringify(input), maxBuffer: 256 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`python3 ${script} failed: ${result.stderr.toString()}`);
  return JSON.parse(result.stdout.toString()) as T;
}

/** Runs a JavaScript file from this folder in a separate node process, as a client in the seed's own language. */
export function runNodeFile(script: string, env: Record<string, string>): string {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const result = spawnSync(process.execPath, [path], { env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`node ${script} failed: ${result.stderr.toString()}`);
  return result.stdout.toString();
}
