// A real `signet master` serving the console, on a fresh SQLite data directory, with one admin made
// by `signet admin create` (the password from SIGNET_ADMIN_PASSWORD, as an operator would).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { generateFernetKey } from '@signet/auth';
import { SIGNET_BIN, startService, type Service } from '../../../master/test/support/process.js';
import { tempDir } from '../../../worker/test/support/core-fixtures.js';

export const ADMIN = { name: 'operator', password: 'a long console password for the browser test' };

/** Runs a one-shot `signet …` command without blocking the test's event loop; throws with its stderr if it fails. */
export async function signet(
  args: readonly string[],
  env: Record<string, string | undefined>,
): Promise<string> {
  const merged = Object.fromEntries(
    Object.entries({ ...process.env, ...env }).filter(([, v]) => v !== undefined),
  ) as NodeJS.ProcessEnv;
  try {
    return (await promisify(execFile)(process.execPath, [SIGNET_BIN, ...args], { env: merged })).stdout;
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`signet ${args.slice(0, 3).join(' ')} failed: ${stderr ?? String(error)}`);
  }
}

export interface ConsoleMaster {
  readonly url: string;
  readonly service: Service;
  /** --data of the master. */
  readonly data: string;
  /** The environment every process of this cluster runs with (the master's ENCRYPTION_KEY, no DATABASE_URL). */
  readonly env: Record<string, string | undefined>;
  stop(): Promise<void>;
}

export async function startConsoleMaster(
  options: { args?: readonly string[]; env?: Record<string, string | undefined>; admin?: boolean } = {},
): Promise<ConsoleMaster> {
  const env = {
    ENCRYPTION_KEY: generateFernetKey(),
    DATABASE_URL: undefined,
    REDIS_URL: undefined,
    SIGNET_ADMIN_PASSWORD: undefined,
    ...options.env,
  };
  const dir = tempDir('console-master');
  if (options.admin !== false) {
    await signet(['admin', 'create', ADMIN.name, '--data', dir.path], {
      ...env,
      SIGNET_ADMIN_PASSWORD: ADMIN.password,
    });
  }
  const service = await startService(
    [
      'master',
      '--port',
      '0',
      '--data',
      dir.path,
      '--heartbeat-limit',
      '1000',
      '--config-limit',
      '1000',
      '--log-level',
      'warn',
      ...(options.args ?? []),
    ],
    env,
  );
  return {
    url: service.url,
    service,
    data: dir.path,
    env,
    async stop() {
      await service.stop();
      dir.remove();
    },
  };
}
