// What `signet master` says when it starts: with no admin, how to create one (once there is one,
// nothing); without API_SECRET_KEY, that /v1/internal refuses every call.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateFernetKey } from '@signet/auth';
import { runSignet, startService } from './support/process.js';

const data = mkdtempSync(join(tmpdir(), 'signet-first-start-'));
const env = { ENCRYPTION_KEY: generateFernetKey(), DATABASE_URL: undefined, REDIS_URL: undefined };
afterAll(() => rmSync(data, { recursive: true, force: true }));

/** Starts the master, lets it finish its start-up lines, stops it, and returns what it printed. */
async function startOutput(extra: Record<string, string | undefined>): Promise<string> {
  const master = await startService(['master', '--port', '0', '--data', data], { ...env, ...extra });
  const health = await fetch(`${master.url}/v1/public/health`);
  expect(health.status).toBe(200);
  await new Promise((resolve) => setTimeout(resolve, 200));
  await master.stop();
  return master.output();
}

describe('signet master at start', () => {
  it('with no admin, prints how to create one; without API_SECRET_KEY, says /v1/internal is closed', async () => {
    const output = await startOutput({ API_SECRET_KEY: undefined, SIGNET_INTERNAL_KEY: undefined });
    expect(output).toContain('no admin account yet');
    expect(output).toContain(`signet admin create NAME --data ${data}`);
    expect(output).toContain('API_SECRET_KEY is not set: /v1/internal refuses every call');
  });

  it('says neither once an admin exists and the key is set', async () => {
    const created = runSignet(['admin', 'create', 'alice', '--data', data], {
      ...env,
      SIGNET_ADMIN_PASSWORD: 'correct horse battery',
    });
    expect(created.status, created.stderr).toBe(0);
    const output = await startOutput({ API_SECRET_KEY: 'my-secret-key' });
    expect(output).toContain('signet master listening on');
    expect(output).not.toContain('no admin account yet');
    expect(output).not.toContain('API_SECRET_KEY is not set');
  });
});
