// The Worker API's routes on their own (a stand-in node behind them): every documented status,
// the `{"error": …}` shape, signatures over the raw body, stale timestamps and replays.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DecryptionFailedError, MemoryReplayStore, sealNodeSecret, signXray } from '@signet/auth';
import { acceptedSecrets, type NodeCredentials, rotatedCredentials } from '../src/agent/credentials.js';
import {
  ConfigRejectedError,
  type NodeControl,
  SecretRejectedError,
  workerApi,
} from '../src/routes/worker-api.js';

const secret = 'node-api-secret';
const calls: string[] = [];
const node: NodeControl = {
  registered: () => true,
  coreStatus: () => 'running',
  restartCore: async () => {
    calls.push('restart');
    if (calls.filter((c) => c === 'restart').length > 2) throw new Error('core would not start');
  },
  applyConfig: async (config) => {
    if (config.includes('"bad"')) throw new ConfigRejectedError('the core refused it');
    calls.push('config');
  },
  logs: (lines) => Array.from({ length: lines }, (_, i) => `line ${i}`).join('\n'),
  stats: () => ({ uptime: 10, connections: 0, traffic_up: 5, traffic_down: 7 }),
  secret: () => secret,
  replaceSecret: () => {
    throw new SecretRejectedError('not in this test');
  },
};
let app: FastifyInstance;
const now = () => Math.floor(Date.now() / 1000);
const send = (path: string, body: object | string, sign: string | false = secret) => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (sign !== false) headers['x-signature'] = signXray(text, sign).signature;
  return app.inject({ method: 'POST', url: path, headers, payload: text });
};

beforeAll(async () => {
  app = Fastify({ ajv: { customOptions: { coerceTypes: false, removeAdditional: false } } });
  await app.register(workerApi, { node, replay: new MemoryReplayStore() });
});
afterAll(() => app.close());

describe('Worker API', () => {
  it('GET /health is open and says whether the node is registered and the core running', async () => {
    const response = await app.inject({ url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ok',
      registered: true,
      xray_status: 'running',
      timestamp: expect.any(Number),
    });
  });

  it('restart, config, logs and stats answer as the seed documents', async () => {
    expect((await send('/api/restart', { timestamp: now() })).json()).toEqual({
      status: 'ok',
      message: 'Xray重启成功',
    });
    expect((await send('/api/config', { config: '{"inbounds": []}', timestamp: now() })).json()).toEqual({
      status: 'ok',
      message: '配置更新成功',
    });
    const logs = await send('/api/logs', { lines: 3, timestamp: now() });
    expect(logs.json()).toEqual({ status: 'ok', logs: 'line 0\nline 1\nline 2' });
    expect((await send('/api/logs', { timestamp: now() + 1 })).json().logs.split('\n')).toHaveLength(100);
    // A different body: the same signed body on another route in the same second is a replay.
    expect((await send('/api/stats', { timestamp: now(), nonce: 's1' })).json()).toEqual({
      status: 'ok',
      stats: { uptime: 10, connections: 0, traffic_up: 5, traffic_down: 7, xray_status: 'running' },
    });
  });

  it.each([
    ['lines 0', '/api/logs', { lines: 0 }],
    ['lines 1001', '/api/logs', { lines: 1001 }],
    ['lines as text', '/api/logs', { lines: '10' }],
    ['config not a string', '/api/config', { config: { inbounds: [] } }],
    ['config not JSON', '/api/config', { config: 'not json' }],
    ['config the core refuses', '/api/config', { config: '{"bad": true}' }],
    ['no timestamp in a signed body', '/api/stats', {}],
  ])('400 for %s', async (_what, path, body) => {
    const response = await send(path, {
      ...body,
      ...('timestamp' in body || _what.startsWith('no timestamp') ? {} : { timestamp: now() }),
    });
    expect([400, 401]).toContain(response.statusCode);
    expect(Object.keys(response.json())).toEqual(['error']);
    if (!_what.startsWith('no timestamp')) expect(response.statusCode).toBe(400);
  });

  it('400 for a malformed body, 413 for an oversize one, 404 for an unknown route', async () => {
    expect((await send('/api/stats', '{"timestamp": ', false)).statusCode).toBe(400);
    const big = await send('/api/config', { config: 'x'.repeat(1_100_000), timestamp: now() }, false);
    expect(big.statusCode).toBe(413);
    expect(big.json()).toEqual({ error: expect.any(String) });
    expect((await app.inject({ method: 'POST', url: '/api/nothing' })).json()).toEqual({
      error: '资源不存在',
    });
  });

  it('401 for a missing, wrong or foreign signature and for a stale or future timestamp', async () => {
    const body = { timestamp: now() };
    expect((await send('/api/stats', body, false)).statusCode).toBe(401);
    expect((await send('/api/stats', body, 'another-secret')).statusCode).toBe(401);
    // 305 ahead: a second ticking between signing and checking cannot bring it inside the window
    for (const timestamp of [now() - 301, now() + 305])
      expect((await send('/api/stats', { timestamp })).statusCode).toBe(401);
    const tampered = await app.inject({
      method: 'POST',
      url: '/api/restart',
      headers: {
        'content-type': 'application/json',
        'x-signature': signXray(JSON.stringify({ timestamp: now() }), secret).signature,
      },
      payload: JSON.stringify({ timestamp: now(), lines: 5 }),
    });
    expect(tampered.statusCode).toBe(401);
    expect(tampered.json()).toEqual({ error: '签名验证失败' });
  });

  it('refuses an exact replay of a restart or config request, on any route', async () => {
    const body = JSON.stringify({ timestamp: now() - 1, config: '{"inbounds": [1]}' });
    const headers = { 'content-type': 'application/json', 'x-signature': signXray(body, secret).signature };
    const before = calls.length;
    expect(
      (await app.inject({ method: 'POST', url: '/api/config', headers, payload: body })).statusCode,
    ).toBe(200);
    expect(
      (await app.inject({ method: 'POST', url: '/api/config', headers, payload: body })).statusCode,
    ).toBe(401);
    expect(
      (await app.inject({ method: 'POST', url: '/api/restart', headers, payload: body })).statusCode,
    ).toBe(401);
    expect(calls.length).toBe(before + 1); // the replays changed nothing
  });

  it('500 when the restart fails', async () => {
    await send('/api/restart', { timestamp: now() - 2 });
    const failed = await send('/api/restart', { timestamp: now() - 3 });
    expect(failed.statusCode).toBe(500);
    expect(failed.json().error).toContain('Xray重启失败');
  });
});

describe('POST /api/secret: a rotation hands the node its next secret', () => {
  const OLD = 'node-secret-before-rotation';
  const NEXT = 'node-secret-after-rotation-0123';
  let held: NodeCredentials = { master: 'http://master', nodeId: 7, apiSecret: OLD, hiddenPath: 'p' };
  let rotating: FastifyInstance;
  const post = (body: object, sign: string) => {
    const text = JSON.stringify(body);
    return rotating.inject({
      method: 'POST',
      url: '/api/secret',
      headers: { 'content-type': 'application/json', 'x-signature': signXray(text, sign).signature },
      payload: text,
    });
  };
  beforeAll(async () => {
    rotating = Fastify({ ajv: { customOptions: { coerceTypes: false, removeAdditional: false } } });
    await rotating.register(workerApi, {
      replay: new MemoryReplayStore(),
      node: {
        ...node,
        secret: () => acceptedSecrets(held),
        replaceSecret: (sealed, graceSeconds) => {
          let rotated: NodeCredentials | null;
          try {
            rotated = rotatedCredentials(held, sealed, graceSeconds);
          } catch {
            throw new SecretRejectedError('opens under none of the secrets');
          }
          if (rotated !== null) held = rotated;
          return rotated !== null;
        },
      },
    });
  });
  afterAll(() => rotating.close());

  it('refuses a sealed secret it cannot open, a missing field, and an unsigned or wrongly signed call, changing nothing', async () => {
    const sealed = sealNodeSecret(NEXT, OLD);
    for (const [body, sign, status] of [
      [
        { sealed_secret: sealNodeSecret(NEXT, 'some-other-secret'), grace_seconds: 60, timestamp: now() },
        OLD,
        400,
      ],
      [{ sealed_secret: sealed, timestamp: now() }, OLD, 400],
      [{ sealed_secret: sealed, grace_seconds: -1, timestamp: now() }, OLD, 400],
      [{ sealed_secret: sealed, grace_seconds: 60, timestamp: now() }, NEXT, 401],
      [{ sealed_secret: sealed, grace_seconds: 60, timestamp: now() - 1000 }, OLD, 401],
    ] as const) {
      const refused = await post(body, sign);
      expect(refused.statusCode, JSON.stringify(body)).toBe(status);
      expect(refused.json()).toEqual({ error: expect.any(String) });
      expect(refused.body).not.toContain(NEXT);
    }
    expect(held).toEqual({ master: 'http://master', nodeId: 7, apiSecret: OLD, hiddenPath: 'p' });
  });

  it('stores the next secret, accepts both during the grace period, and takes the same rotation twice as a no-op', async () => {
    const sealed = sealNodeSecret(NEXT, OLD);
    const stored = await post({ sealed_secret: sealed, grace_seconds: 60, timestamp: now() }, OLD);
    expect(stored.statusCode, stored.body).toBe(200);
    expect(stored.json()).toEqual({ status: 'ok', message: 'api_secret replaced' });
    expect(held.apiSecret).toBe(NEXT);
    expect(held.previous?.apiSecret).toBe(OLD);
    expect(held.previous!.until - Date.now()).toBeGreaterThan(55_000);
    // Delivered again (the first answer lost): signed with the new secret, nothing changes; signed
    // with the replaced one, refused (a secret in its grace period never chooses the next one).
    const byNew = await post(
      { sealed_secret: sealed, grace_seconds: 60, timestamp: now(), nonce: 'b' },
      NEXT,
    );
    expect(byNew.json()).toEqual({ status: 'ok', message: 'api_secret already in use' });
    const byOld = await post({ sealed_secret: sealed, grace_seconds: 60, timestamp: now(), nonce: 'a' }, OLD);
    expect(byOld.statusCode).toBe(401);
    // Someone holding only the replaced secret cannot install one of their own.
    const hijack = await post(
      {
        sealed_secret: sealNodeSecret('attacker-chosen-secret', OLD),
        grace_seconds: 604_800,
        timestamp: now(),
      },
      OLD,
    );
    expect(hijack.statusCode).toBe(401);
    expect(held.apiSecret).toBe(NEXT);
    expect(held.previous?.apiSecret).toBe(OLD);
  });

  it('a rotation sealed under the replaced secret is the same rotation again, or refused', () => {
    const holding: NodeCredentials = {
      ...held,
      apiSecret: NEXT,
      previous: { apiSecret: OLD, until: Date.now() + 60_000 },
    };
    expect(rotatedCredentials(holding, sealNodeSecret(NEXT, OLD), 60)).toBeNull();
    expect(() => rotatedCredentials(holding, sealNodeSecret('attacker-chosen-secret', OLD), 60)).toThrow(
      DecryptionFailedError,
    );
    const later = rotatedCredentials(holding, sealNodeSecret('the-third-secret-0123', NEXT), 30, 1_000);
    expect(later).toMatchObject({
      apiSecret: 'the-third-secret-0123',
      previous: { apiSecret: NEXT, until: 31_000 },
    });
  });

  it('stops accepting the replaced secret when its grace period ends', async () => {
    held = { ...held, previous: { apiSecret: OLD, until: Date.now() - 1 } };
    const late = await post(
      { sealed_secret: sealNodeSecret('x'.repeat(20), OLD), grace_seconds: 0, timestamp: now() },
      OLD,
    );
    expect(late.statusCode).toBe(401);
    expect(held.apiSecret).toBe(NEXT);
  });
});
