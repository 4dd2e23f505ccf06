import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built `signet` command (npm test builds first), run as a user runs it. */
export const SIGNET_BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(
  args: readonly string[],
  options: { input?: string | Buffer; env?: Record<string, string | undefined> } = {},
): CliResult {
  const env = { ...process.env, ENCRYPTION_KEY: undefined, API_SECRET_KEY: undefined, ...options.env };
  const result = spawnSync(process.execPath, [SIGNET_BIN, ...args], {
    input: options.input ?? '',
    env: Object.fromEntries(
      Object.entries(env).filter(([, value]) => value !== undefined),
    ) as NodeJS.ProcessEnv,
  });
  return { status: result.status, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}
