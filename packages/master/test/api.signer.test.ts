// The console's signer page through the master: `GET /v1/web/signer` and `POST /v1/web/signer/reload`
// against a real `signet signer` process that demands seed-002 signatures (--require-auth).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, SECRETS } from '../../signer/test/support/fixture.js';
import { startSigner, type SignerProcess } from '../../signer/test/support/signer-process.js';
import { freePort } from '../../worker/test/support/core-fixtures.js';
import Fastify from 'fastify';
import {
  type ApiMaster,
  bearerRequest,
  internalRequest,
  loginAdmin,
  newKey,
  startApiMaster,
  temRequest,
  v1Fail,
} from './support/api-master.js';

const API_SECRET_KEY = 'signer-page-api-secret-key';
const fixture = createFixture();
let signer: SignerProcess;
const masters: ApiMaster[] = [];

async function masterWith(options: { signerUrl?: string; signerSecret?: string }) {
  const api = await startApiMaster('sqlite', options);
  masters.push(api);
  return { api, token: await loginAdmin(api) };
}

beforeAll(async () => {
  signer = await startSigner(
    ['--credentials', fixture.credentials, '--data', fixture.dataDir, '--require-auth'],
    { ENCRYPTION_KEY: fixture.encryptionKey, API_SECRET_KEY, REDIS_URL: undefined },
  );
});
afterAll(async () => {
  await Promise.all(masters.map((m) => m.close()));
  await signer?.stop();
});

const noSecretsIn = (text: string) => {
  for (const secret of [...Object.values(SECRETS), API_SECRET_KEY, fixture.encryptionKey])
    expect(text).not.toContain(secret);
};

describe('the signer seen through the master', () => {
  it('lists the accounts by platform with their usage and the service status, never a key', async () => {
    const { api, token } = await masterWith({ signerUrl: signer.url, signerSecret: API_SECRET_KEY });
    const answer = await bearerRequest(api, token, 'GET', '/v1/web/signer');
    expect(answer.status).toBe(200);
    const data = answer.json.data;
    expect(data).toMatchObject({ configured: true, url: signer.url, reachable: true, error: null });
    const expected = fixture.accounts() as { platformId: string; accountId: string }[];
    expect(data.accounts.map((a: any) => `${a.platformId}/${a.accountId}`).sort()).toEqual(
      expected.map((a) => `${a.platformId}/${a.accountId}`).sort(),
    );
    expect(data.accounts[0].usage).toMatchObject({
      totalSigns: expect.any(Number),
      errorCount: expect.any(Number),
    });
    expect(data.status.accounts.total).toBe(expected.length);
    const platforms = [...new Set(expected.map((a) => a.platformId))];
    expect(Object.keys(data.status.accounts.byPlatform).sort()).toEqual(platforms.sort());
    expect(data.status.status).toBe('healthy');
    noSecretsIn(answer.text);
  });

  it('reloads the credentials and answers what they hold now', async () => {
    const { api, token } = await masterWith({ signerUrl: signer.url, signerSecret: API_SECRET_KEY });
    const held = fixture.accounts().length - 1;
    fixture.write(fixture.accounts().slice(1)); // one account removed
    try {
      const answer = await bearerRequest(api, token, 'POST', '/v1/web/signer/reload', '{}');
      expect(answer.status).toBe(200);
      // The signer also watches its file: whichever reload came first counted the removal.
      expect(answer.json.data).toMatchObject({ changes: { added: 0, updated: 0 }, accountCount: held });
      expect(answer.json.data.warnings).toEqual(expect.any(Array));
      expect([0, 1]).toContain(answer.json.data.changes.removed);
      const page = await bearerRequest(api, token, 'GET', '/v1/web/signer');
      expect(page.json.data.accounts).toHaveLength(held);
    } finally {
      fixture.write(fixture.accounts());
      await bearerRequest(api, token, 'POST', '/v1/web/signer/reload', '{}');
    }
  });

  it('with a wrong API_SECRET_KEY: the page says the signer refused, naming no secret', async () => {
    const { api, token } = await masterWith({ signerUrl: signer.url, signerSecret: 'not-the-key' });
    const answer = await bearerRequest(api, token, 'GET', '/v1/web/signer');
    expect(answer.json.data).toMatchObject({
      configured: true,
      reachable: false,
      status: null,
      accounts: null,
    });
    expect(answer.json.data.error).toMatch(/^the signer at 127\.0\.0\.1:\d+ answered 401/);
    noSecretsIn(answer.text);
    expect(answer.text).not.toContain('not-the-key');
  });

  it('a signer that does not answer: the page says so, a reload is 50200', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const { api, token } = await masterWith({ signerUrl: url, signerSecret: API_SECRET_KEY });
    const page = await bearerRequest(api, token, 'GET', '/v1/web/signer');
    expect(page.json.data).toMatchObject({ configured: true, reachable: false });
    expect(page.json.data.error).toMatch(/is unreachable \(ECONNREFUSED\)/);
    const reload = await bearerRequest(api, token, 'POST', '/v1/web/signer/reload', '{}');
    expect(reload.status).toBe(502);
    expect(reload.json).toEqual(v1Fail(50200, page.json.data.error));
  });

  it('without --signer-url: not configured, and a reload says how to configure one', async () => {
    const { api, token } = await masterWith({});
    const page = await bearerRequest(api, token, 'GET', '/v1/web/signer');
    expect(page.json).toEqual({
      code: 20000,
      message: '',
      data: { configured: false, url: null, reachable: false, error: null, status: null, accounts: null },
    });
    const reload = await bearerRequest(api, token, 'POST', '/v1/web/signer/reload', '{}');
    expect(reload.status).toBe(503);
    expect(reload.json).toEqual(
      v1Fail(50300, 'no signer is configured: start signet master with --signer-url URL'),
    );
  });

  it('twenty page loads in a row against a signer that refuses replays: every one reads the signer', async () => {
    const { api, token } = await masterWith({ signerUrl: signer.url, signerSecret: API_SECRET_KEY });
    for (let i = 0; i < 20; i++) {
      const page = await bearerRequest(api, token, 'GET', '/v1/web/signer');
      expect(page.json.data, `load ${i}`).toMatchObject({ reachable: true, error: null });
    }
  });

  it('an answer of another shape is the signer failing (the page says so, a reload is 50200); extra fields never pass', async () => {
    const fake = Fastify({ logger: false });
    let mode: 'extra' | 'broken' = 'extra';
    const ok = (data: unknown) => ({ success: true, data });
    const status = {
      status: 'healthy',
      uptime: '0h 0m 1s',
      config: { path: '/x/credentials.json', lastLoaded: null, isWatching: true, lastError: null },
      accounts: { total: 1, byPlatform: { binance: 1 } },
      performance: { avgSigningTime: '0.1ms', p99: '0.2ms', totalSigns: 0, errorRate: 0 },
    };
    fake.get('/api/v1/status', async () =>
      ok(mode === 'broken' ? { status: 'healthy' } : { ...status, apiSecret: 'LEAK-1' }),
    );
    fake.get('/api/v1/accounts', async () =>
      ok({
        accounts: [
          {
            accountId: 'a',
            platformId: 'binance',
            alias: null,
            status: 'active',
            environment: null,
            usage: { totalSigns: 0, lastSignAt: null, errorCount: 0 },
            secrets: { apiSecret: 'LEAK-2' },
          },
        ],
      }),
    );
    fake.post('/api/v1/config/reload', async () => ok({ reloadedAt: 'now' }));
    await fake.listen({ host: '127.0.0.1', port: 0 });
    try {
      const url = `http://127.0.0.1:${(fake.server.address() as { port: number }).port}`;
      const { api, token } = await masterWith({ signerUrl: url });
      const extra = await bearerRequest(api, token, 'GET', '/v1/web/signer');
      expect(extra.json.data).toMatchObject({ reachable: true, status: { status: 'healthy' } });
      expect(extra.json.data.accounts[0]).not.toHaveProperty('secrets');
      expect(extra.text).not.toContain('LEAK');

      mode = 'broken';
      const broken = await bearerRequest(api, token, 'GET', '/v1/web/signer');
      expect(broken.status).toBe(200);
      expect(broken.json.data).toMatchObject({ reachable: false, status: null });
      expect(broken.json.data.error).toMatch(/answered a status of an unexpected shape$/);
      const reload = await bearerRequest(api, token, 'POST', '/v1/web/signer/reload', '{}');
      expect(reload.status).toBe(502);
      expect(reload.json.code).toBe(50200);
      expect(reload.json.message).toMatch(/answered a reload result of an unexpected shape$/);
    } finally {
      await fake.close();
    }
  });

  it('is the console’s page only: no signer routes for access keys or internal callers', async () => {
    const { api } = await masterWith({ signerUrl: signer.url, signerSecret: API_SECRET_KEY });
    const key = await newKey(api, 'L3.SHA256', 'read-write');
    expect((await temRequest(api, key, 'GET', '/api/v1/signer')).status).toBe(404);
    expect((await temRequest(api, key, 'POST', '/api/v1/signer/reload', '{}')).status).toBe(404);
    expect((await internalRequest(api, 'GET', '/v1/internal/signer')).status).toBe(404);
  });
});
