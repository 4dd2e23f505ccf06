import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const SIGNET_BIN = fileURLToPath(new URL('../../../cli/dist/bin.js', import.meta.url));

export interface Service {
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const cleanEnv = (env: Record<string, string | undefined>) =>
  Object.fromEntries(
    Object.entries({ ...process.env, ...env }).filter(([, v]) => v !== undefined),
  ) as NodeJS.ProcessEnv;

/** Starts a long-running `signet …` command and waits for its "listening on URL" line. */
export async function startService(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
  pattern = /listening on (http:\/\/\S+)/,
): Promise<Service> {
  const child = spawn(process.execPath, [SIGNET_BIN, ...args], { env: cleanEnv(env) });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start:\n${output}`)), 30_000);
    const check = () => {
      const match = pattern.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stderr.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args[0]} exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}

/** Runs a one-shot `signet …` command. */
export function runSignet(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [SIGNET_BIN, ...args], { env: cleanEnv(env) });
  return { status: result.status, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

/** `runSignet` without blocking the event loop (requests in flight keep going meanwhile). */
export function runSignetAsync(
  args: readonly string[],
  env: Record<string, string | undefined> = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SIGNET_BIN, ...args], { env: cleanEnv(env) }, (error, stdout, stderr) => {
      const code = (error as { code?: unknown } | null)?.code;
      resolve({ status: error ? (typeof code === 'number' ? code : null) : 0, stdout, stderr });
    });
  });
}
