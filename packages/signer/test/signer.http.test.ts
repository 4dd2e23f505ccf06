// The real `signet signer` process, driven over HTTP: every route, every platform against the
// shared vectors, every error code, hot reload, 413, batches, and the no-secrets-anywhere check.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, SECRETS, vectors } from './support/fixture.js';
import { startSigner, type SignerProcess } from './support/signer-process.js';

const fixture = createFixture();
let signer: SignerProcess;
const seen: string[] = []; // every response body, for the secrets check

async function call(
  method: string,
  path: string,
  body?: unknown,
  raw?: string,
): Promise<{ status: number; json: any }> {
  const response = await fetch(`${signer.url}${path}`, {
    method,
    headers: body === undefined && raw === undefined ? {} : { 'content-type': 'application/json' },
    ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  seen.push(text);
  return { status: response.status, json: text.startsWith('{') ? JSON.parse(text) : text };
}
const sign = (platformId: string, accountId: string, data: unknown) =>
  call('POST', '/api/v1/sign', { platformId, accountId, data });

beforeAll(async () => {
  signer = await startSigner(['--credentials', fixture.credentials, '--data', fixture.dataDir], {
    ENCRYPTION_KEY: fixture.encryptionKey,
    REDIS_URL: undefined,
  });
});
afterAll(async () => {
  await signer?.stop();
});

describe('platforms, through POST /api/v1/sign', () => {
  it('pacifica: the seed shape and the native shape sign Pacifica’s message (vector)', async () => {
    const v = vectors.pacifica_create_order;
    const message = JSON.parse(v.message) as {
      type: string;
      timestamp: number;
      expiry_window: number;
      data: Record<string, unknown>;
    };
    const native = await sign('pacifica', 'pac-main-001', message);
    expect(native.status).toBe(200);
    expect(native.json).toMatchObject({
      success: true,
      data: {
        signature: v.signatureBase58,
        algorithm: 'ed25519',
        encoding: 'base58',
        publicKey: v.accountBase58,
        payload: v.message,
      },
    });
    const seedShape = await sign('pacifica', 'pac-main-001', {
      instruction: { type: message.type, ...message.data },
      nonce: message.timestamp,
    });
    expect(seedShape.json.data.signature).toBe(v.signatureBase58);
    expect(Date.parse(seedShape.json.data.signedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('aster: EIP-191 personal_sign (vector)', async () => {
    const v = vectors.eip191_personal_sign;
    const result = await sign('aster', 'ast-hedge-001', { message: v.message });
    expect(result.json.data).toMatchObject({
      signature: v.signature,
      algorithm: 'eip191',
      publicKey: v.address,
      payload: v.message,
    });
  });

  it('okx: both documented cases (vector)', async () => {
    for (const c of vectors.okx_v5.cases) {
      const result = await sign('okx', 'okx-perp-001', {
        method: c.method,
        path: c.requestPath,
        body: c.body || undefined,
        timestamp: vectors.okx_v5.timestamp,
      });
      expect(result.json.data.signature).toBe(c.signature);
      if (c.body) expect(result.json.data.body).toBe(c.body);
      expect(result.json.data.headers).toMatchObject({
        'OK-ACCESS-KEY': 'okx-api-key-0001',
        'OK-ACCESS-SIGN': c.signature,
        'OK-ACCESS-TIMESTAMP': vectors.okx_v5.timestamp,
      });
    }
  });

  it('binance: HMAC-SHA256 over the RFC 3986 query string, as Python computes it', async () => {
    const params = {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.001',
      price: '65000',
      note: 'a b/é*',
      timestamp: 1735390800000,
    };
    const result = await sign('binance', 'bn-spot-001', {
      method: 'POST',
      endpoint: '/api/v3/order',
      params,
    });
    const python = execFileSync('python3', [
      '-c',
      `import hmac, hashlib, json, sys, urllib.parse
params = json.loads(sys.argv[1])
query = "&".join(f"{urllib.parse.quote(k, safe='-_.~')}={urllib.parse.quote(str(v), safe='-_.~')}" for k, v in params.items())
print(query); print(hmac.new(sys.argv[2].encode(), query.encode(), hashlib.sha256).hexdigest())`,
      JSON.stringify(params),
      SECRETS.binanceSecret,
    ])
      .toString()
      .trim()
      .split('\n');
    expect(result.json.data).toMatchObject({
      payload: python[0],
      signature: python[1],
      publicKey: null,
      headers: { 'X-MBX-APIKEY': 'bn-api-key-0001' },
    });
  });
});

describe('errors, in the seed’s envelope and statuses', () => {
  it.each([
    ['ACCOUNT_NOT_FOUND', 404, { platformId: 'pacifica', accountId: 'nope', data: { type: 'x' } }],
    ['PLATFORM_NOT_SUPPORTED', 400, { platformId: 'kraken', accountId: 'a', data: {} }],
    [
      'ACCOUNT_INACTIVE',
      423,
      { platformId: 'okx', accountId: 'okx-disabled', data: { method: 'GET', path: '/x' } },
    ],
    ['INVALID_DATA_FORMAT', 400, { platformId: 'okx', accountId: 'okx-perp-001', data: { method: 'GET' } }],
    [
      'INVALID_DATA_FORMAT',
      400,
      { platformId: 'pacifica', accountId: 'pac-main-001', data: { nothing: true } },
    ],
    ['INVALID_DATA_FORMAT', 400, { platformId: 'pacifica', accountId: 'pac-main-001' }],
    ['INVALID_DATA_FORMAT', 400, { platformId: 42, accountId: 'a', data: {} }],
  ])('%s %i', async (code, status, body) => {
    const result = await call('POST', '/api/v1/sign', body);
    expect(result.status).toBe(status);
    expect(result.json).toMatchObject({
      success: false,
      error: { code, message: expect.any(String), details: expect.any(Object) },
    });
  });

  it('ACCOUNT_NOT_FOUND names the account in details, as the seed shows', async () => {
    const result = await sign('pacifica', 'pac-main-404', { type: 'x' });
    expect(result.json.error.details).toEqual({ platformId: 'pacifica', accountId: 'pac-main-404' });
  });

  it('malformed JSON, a wrong content type, unknown fields and an unknown route answer in the envelope', async () => {
    expect((await call('POST', '/api/v1/sign', undefined, '{"platformId": ')).json.error.code).toBe(
      'INVALID_DATA_FORMAT',
    );
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=utf-16',
    ]) {
      const response = await fetch(`${signer.url}/api/v1/config/reload`, {
        method: 'POST',
        headers: { 'content-type': type },
        body: '{}',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ success: false, error: { code: 'INVALID_DATA_FORMAT' } });
    }
    const extra = await call('POST', '/api/v1/sign', {
      platformId: 'aster',
      accountId: 'ast-hedge-001',
      data: { message: 'x' },
      zzz: 1,
    });
    expect(extra.status).toBe(400);
    expect((await call('GET', '/api/v1/nothing')).json).toMatchObject({
      success: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('refuses data nested absurdly deep, and numbers that cannot be signed exactly', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 1000; i++) deep = { a: deep };
    const nested = await sign('okx', 'okx-perp-001', { method: 'POST', path: '/x', body: deep });
    expect(nested.status).toBe(400);
    expect(nested.json.error.code).toBe('INVALID_DATA_FORMAT');
    const big = await call(
      'POST',
      '/api/v1/sign',
      undefined,
      '{"platformId":"binance","accountId":"bn-spot-001","data":{"method":"GET","endpoint":"/api/v3/order","params":{"orderId":12345678901234567890}}}',
    );
    expect(big.status).toBe(400);
    expect(big.json.error.message).toContain('send it as a string');
  });

  it('answers only loopback host names without API_SECRET_KEY (no DNS rebinding)', async () => {
    // fetch may not set Host; a browser after DNS rebinding sends the attacker's name, as here.
    const withHost = (path: string, host: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const request = httpRequest(`${signer.url}${path}`, { headers: { host } }, (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        });
        request.on('error', reject);
        request.end();
      });
    const rebound = await withHost('/api/v1/accounts', 'attacker.example:8081');
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body)).toMatchObject({ success: false, error: { code: 'FORBIDDEN' } });
    expect((await withHost('/api/v1/accounts', 'localhost:8081')).status).toBe(200);
  });

  it('413 for bodies over 1 MB, in the same envelope', async () => {
    const big = JSON.stringify({
      platformId: 'okx',
      accountId: 'okx-perp-001',
      data: { method: 'POST', path: '/x', body: 'a'.repeat(1_100_000) },
    });
    const result = await call('POST', '/api/v1/sign', undefined, big);
    expect(result.status).toBe(413);
    expect(result.json).toMatchObject({ success: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
  });
});

describe('POST /api/v1/sign/batch', () => {
  it('reports each item; one bad item never fails the others', async () => {
    const result = await call('POST', '/api/v1/sign/batch', {
      requests: [
        {
          requestId: 'req_001',
          platformId: 'aster',
          accountId: 'ast-hedge-001',
          data: { message: vectors.eip191_personal_sign.message },
        },
        { requestId: 'req_002', platformId: 'aster', accountId: 'missing', data: { message: 'x' } },
        { requestId: 'req_003', platformId: 'okx', data: {} },
        5,
        {
          requestId: 'req_004',
          platformId: 'okx',
          accountId: 'okx-perp-001',
          data: {
            method: 'GET',
            path: '/api/v5/account/balance?ccy=BTC',
            timestamp: vectors.okx_v5.timestamp,
          },
        },
      ],
    });
    expect(result.status).toBe(200);
    const [a, b, c, five, d] = result.json.data.results;
    expect(five).toMatchObject({
      requestId: 'item-3',
      status: 'error',
      error: { code: 'INVALID_DATA_FORMAT' },
    });
    expect(a).toMatchObject({
      requestId: 'req_001',
      status: 'success',
      signature: vectors.eip191_personal_sign.signature,
      algorithm: 'eip191',
    });
    expect(b).toMatchObject({ requestId: 'req_002', status: 'error', error: { code: 'ACCOUNT_NOT_FOUND' } });
    expect(c).toMatchObject({
      requestId: 'req_003',
      status: 'error',
      error: { code: 'INVALID_DATA_FORMAT' },
    });
    expect(d).toMatchObject({
      requestId: 'req_004',
      status: 'success',
      signature: vectors.okx_v5.cases[0]!.signature,
    });
    expect(result.json.data.summary).toEqual({ total: 5, successful: 2, failed: 3 });
  });

  it('refuses an empty batch and one over the documented maximum of 100', async () => {
    expect((await call('POST', '/api/v1/sign/batch', { requests: [] })).status).toBe(400);
    const tooMany = Array.from({ length: 101 }, () => ({
      platformId: 'aster',
      accountId: 'ast-hedge-001',
      data: { message: 'x' },
    }));
    const result = await call('POST', '/api/v1/sign/batch', { requests: tooMany });
    expect(result.status).toBe(400);
    expect(result.json.error.code).toBe('INVALID_DATA_FORMAT');
  });
});

describe('accounts, status, audit, metrics', () => {
  it('lists accounts with usage, filtered by platform', async () => {
    const all = await call('GET', '/api/v1/accounts');
    expect(all.json.data.total).toBe(5);
    const pacifica = await call('GET', '/api/v1/accounts?platform=pacifica');
    expect(pacifica.json.data).toMatchObject({
      total: 1,
      accounts: [
        { accountId: 'pac-main-001', alias: 'Pacifica主账户', status: 'active', environment: 'production' },
      ],
    });
    expect(pacifica.json.data.accounts[0].usage.totalSigns).toBeGreaterThanOrEqual(2);
  });

  it('shows one account with its public key and never a secret field', async () => {
    const result = await call('GET', '/api/v1/accounts/pacifica/pac-main-001');
    expect(result.json.data).toMatchObject({
      algorithm: 'ed25519',
      publicKey: vectors.pacifica_create_order.accountBase58,
      createdAt: '2025-09-01T10:00:00Z',
    });
    expect(Object.keys(result.json.data)).not.toContain('secrets');
    expect((await call('GET', '/api/v1/accounts/okx/none')).status).toBe(404);
  });

  it('reports status with real performance figures', async () => {
    const result = await call('GET', '/api/v1/status');
    expect(result.json.data).toMatchObject({
      status: 'healthy',
      config: { path: fixture.credentials, isWatching: true, lastError: null },
      accounts: { total: 5, byPlatform: { pacifica: 1, aster: 1, binance: 1, okx: 2 } },
    });
    expect(result.json.data.uptime).toMatch(/^\d+h \d+m \d+s$/);
    expect(result.json.data.performance.totalSigns).toBeGreaterThan(3);
    expect(result.json.data.performance.errorRate).toBeGreaterThan(0);
    expect(result.json.data.performance.p99).toMatch(/^\d+\.\d{3}ms$/);
  });

  it('pages through the audit log, newest first, with data only as a hash', async () => {
    const first = await call('GET', '/api/v1/audit?limit=3');
    expect(first.json.data.entries).toHaveLength(3);
    const ids = first.json.data.entries.map((e: { id: number }) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const next = await call('GET', `/api/v1/audit?limit=3&before=${first.json.data.nextBefore}`);
    expect(next.json.data.entries[0].id).toBeLessThan(Math.min(...ids));
    const notFound = await call('GET', '/api/v1/audit?result=ACCOUNT_NOT_FOUND&limit=50');
    expect(notFound.json.data.entries.length).toBeGreaterThan(0);
    expect(notFound.json.data.entries[0]).toMatchObject({
      action: expect.any(String),
      caller: expect.any(String),
      dataSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect((await call('GET', '/api/v1/audit?limit=0')).status).toBe(400);
  });

  it('serves Prometheus metrics and health', async () => {
    const metrics = await call('GET', '/metrics');
    expect(metrics.json).toMatch(/signet_signer_signs_total\{platform="aster",result="success"\} \d+/);
    expect(metrics.json).toMatch(/signet_signer_accounts\{platform="okx"\} 2/);
    expect((await call('GET', '/health')).json).toEqual({ status: 'ok', accounts: 5 });
  });

  it('/security-info describes the scheme with a key fingerprint, never the key', async () => {
    const info = await call('GET', '/security-info');
    expect(info.json).toMatchObject({
      signature_format: 'HMAC-SHA256(data + timestamp, API_SECRET_KEY)',
      timestamp_format: 'milliseconds since epoch',
      max_age: 300000,
    });
    expect(info.json.encryption_key_fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(info.json)).not.toContain(fixture.encryptionKey);
  });
});

describe('hot reload', () => {
  const poll = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 100; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('condition not reached');
  };

  it('reports added, updated and removed accounts', async () => {
    const [pac, aster, binance, okx] = fixture.accounts() as Record<string, unknown>[];
    fixture.write([{ ...pac, alias: 'renamed' }, aster!, binance!, okx!, { ...okx, accountId: 'okx-new' }]);
    const result = await call('POST', '/api/v1/config/reload');
    expect(result.json.data).toMatchObject({
      changes: { added: 1, updated: 1, removed: 1 },
      accountCount: 5,
      platformCount: 4,
    });
    expect((await sign('okx', 'okx-disabled', { method: 'GET', path: '/x' })).json.error.code).toBe(
      'ACCOUNT_NOT_FOUND',
    );
  });

  it('picks up a changed file by itself', async () => {
    fixture.write(fixture.accounts().slice(0, 2));
    await poll(async () => (await call('GET', '/api/v1/status')).json.data.accounts.total === 2);
    expect((await sign('okx', 'okx-perp-001', { method: 'GET', path: '/x' })).status).toBe(404);
  });

  it('keeps serving the previous accounts when the new file is broken, and says why', async () => {
    writeFileSync(fixture.credentials, '{"version": 1, "accounts": [ {"platformId": ');
    const reload = await call('POST', '/api/v1/config/reload');
    expect(reload.status).toBe(500);
    expect(reload.json.error.code).toBe('CONFIG_LOAD_FAILED');
    const status = (await call('GET', '/api/v1/status')).json.data;
    expect(status).toMatchObject({ status: 'degraded', accounts: { total: 2 } });
    expect(status.config.lastError).toContain('cannot read credentials file');
    expect((await sign('aster', 'ast-hedge-001', { message: 'still here' })).status).toBe(200);

    // A key that does not decrypt is also refused whole, naming the field, not the value.
    const accounts = fixture.accounts() as { secrets: Record<string, unknown> }[];
    accounts[1]!.secrets.privateKey = 'gAAAAA-not-a-token';
    fixture.write(accounts);
    const bad = await call('POST', '/api/v1/config/reload');
    expect(bad.json.error.message).toContain('secret privateKey does not decrypt');
    fixture.write(fixture.accounts());
    expect((await call('POST', '/api/v1/config/reload')).json.data.accountCount).toBe(5);
  });
});

describe('custody', () => {
  it('no secret appears in any response, log line, metric, audit entry or state file', async () => {
    await call('GET', '/metrics');
    const files = readdirSync(fixture.dataDir).map((name) =>
      readFileSync(join(fixture.dataDir, name), 'utf8'),
    );
    const haystack = [...seen, signer.output(), ...files].join('\n');
    const forms = Object.values(SECRETS).flatMap((s) => [
      s,
      s.replace(/^0x/, ''),
      Buffer.from(s).toString('base64'),
      Buffer.from(s).toString('hex'),
    ]);
    for (const secret of [...forms, fixture.encryptionKey])
      expect(haystack.includes(secret), `secret form ${secret.slice(0, 4)}… leaked`).toBe(false);
  });
});
