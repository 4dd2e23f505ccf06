// Usage, performance figures and the audit log are real measurements that survive a restart.
import { describe, expect, it } from 'vitest';
import { createFixture, vectors } from './support/fixture.js';
import { startSigner } from './support/signer-process.js';

describe('signer state across a restart', () => {
  it('keeps per-account usage, totals, error rate and audit ids', async () => {
    const fixture = createFixture();
    const args = ['--credentials', fixture.credentials, '--data', fixture.dataDir];
    const env = { ENCRYPTION_KEY: fixture.encryptionKey, REDIS_URL: undefined };
    const post = (url: string, body: unknown) =>
      fetch(`${url}/api/v1/sign`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const get = async (url: string, path: string) =>
      ((await (await fetch(`${url}${path}`)).json()) as { data: any }).data;

    const first = await startSigner(args, env);
    for (let i = 0; i < 3; i++)
      expect(
        (
          await post(first.url, {
            platformId: 'aster',
            accountId: 'ast-hedge-001',
            data: { message: `m${i}` },
          })
        ).status,
      ).toBe(200);
    expect(
      (await post(first.url, { platformId: 'aster', accountId: 'ast-hedge-001', data: { message: 42 } }))
        .status,
    ).toBe(400);
    const lastId = (await get(first.url, '/api/v1/audit?limit=1')).entries[0].id;
    expect(await first.stop()).toBe(0);

    const second = await startSigner(args, env);
    try {
      const account = await get(second.url, '/api/v1/accounts/aster/ast-hedge-001');
      expect(account.usage).toMatchObject({ totalSigns: 3, errorCount: 1 });
      expect(Date.parse(account.lastUsed)).toBeGreaterThan(Date.now() - 120_000);
      const status = await get(second.url, '/api/v1/status');
      expect(status.performance).toMatchObject({ totalSigns: 3, errorRate: 0.25 });
      await post(second.url, {
        platformId: 'aster',
        accountId: 'ast-hedge-001',
        data: { message: vectors.eip191_personal_sign.message },
      });
      const audit = await get(second.url, '/api/v1/audit?limit=1');
      expect(audit.entries[0].id).toBeGreaterThan(lastId);
    } finally {
      await second.stop();
    }
  });
});
