// /v1/internal (seed 001): the seed's signature pseudocode run in real Python is accepted, over real
// HTTP; every failed check is the same 401 envelope, its reason only in the log.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryReplayStore, ReplayStoreUnavailableError, signInternal } from '@signet/auth';
import {
  internalAuth,
  registerRouteGroups,
  RouteGroupOptionsError,
  v1Ok,
} from '../src/route-groups/index.js';
import {
  groupsApp,
  headerLines,
  listen,
  nowSeconds,
  rawRequest,
  SECRET,
  signed,
  UNAUTHORIZED,
} from './support/route-groups.js';

const exec = promisify(execFile);
const PYTHON = process.env['SIGNET_PYTHON'] ?? 'python3';
const client = fileURLToPath(new URL('./support/seed001_client.py', import.meta.url));
const python = async (...args: string[]) =>
  (await exec(PYTHON, ['-E', '-X', 'utf8=1', client, ...args])).stdout.trim();
const HELLO = '{"code":20000,"message":"","data":null}';

describe('/v1/internal over real HTTP', () => {
  let app: FastifyInstance;
  let url: string;
  let port: number;
  const logLines: string[] = [];
  beforeAll(async () => {
    app = await groupsApp({ logLines });
    ({ url, port } = await listen(app));
  });
  afterAll(async () => {
    await app.close();
  });
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}${path}`, { headers });
    return { status: response.status, body: await response.text(), headers: response.headers };
  };

  it("the seed's pseudocode in Python signs what signInternal signs", async () => {
    for (const [timestamp, nonce, secret] of [
      ['1700000000', 'abc123', 'my-secret-key'],
      [String(nowSeconds()), 'f00d', 'another key with spaces'],
      ['1', '~!$%()*+,-./:;<=>?@[]^_`{|}', 'ключ'],
    ] as const) {
      expect(await python('sign', secret, timestamp, nonce)).toBe(
        signInternal({ secret, timestamp, nonce }).signature,
      );
    }
  });

  it('a request signed by the Python pseudocode gets hello-world, exactly as the seed shows', async () => {
    const result = JSON.parse(await python('get', `${url}/v1/internal/user/hello-world`, SECRET));
    expect(result.status).toBe(200);
    expect(result.body).toBe(HELLO);
    expect(JSON.parse(result.body)).toEqual({ code: 20000, message: '', data: null });
  });

  it("the seed's curl line, with the signature Python computed, gets hello-world", async () => {
    const timestamp = String(nowSeconds());
    const nonce = `curl${Date.now()}`;
    const signature = await python('sign', SECRET, timestamp, nonce);
    const { stdout } = await exec('curl', [
      '-sS',
      '-w',
      '\n%{http_code}',
      '-X',
      'GET',
      `${url}/v1/internal/user/hello-world`,
      '-H',
      `X-Signature: ${signature}`,
      '-H',
      `X-Timestamp: ${timestamp}`,
      '-H',
      `X-Nonce: ${nonce}`,
    ]);
    expect(stdout).toBe(`${HELLO}\n200`);
  });

  it('Python with the wrong key, or a stale timestamp, gets 401', async () => {
    const wrongKey = JSON.parse(await python('get', `${url}/v1/internal/user/hello-world`, 'not-the-key'));
    const stale = JSON.parse(
      await python('get', `${url}/v1/internal/user/hello-world`, SECRET, String(nowSeconds() - 301)),
    );
    for (const result of [wrongKey, stale]) {
      expect(result.status).toBe(401);
      expect(JSON.parse(result.body)).toEqual(UNAUTHORIZED);
    }
  });

  it('sets request.principal to {kind: "internal", keyIndex}', async () => {
    const response = await get('/v1/internal/whoami', signed());
    expect(JSON.parse(response.body)).toEqual({
      code: 20000,
      message: '',
      data: { kind: 'internal', keyIndex: 0 },
    });
  });

  it('accepts a nonce once: the same signed request again is 401', async () => {
    const headers = signed();
    expect((await get('/v1/internal/user/hello-world', headers)).status).toBe(200);
    const replayed = await get('/v1/internal/user/hello-world', headers);
    expect([replayed.status, JSON.parse(replayed.body)]).toEqual([401, UNAUTHORIZED]);
    // Also on another route of the group: the nonce is claimed for the whole group.
    expect((await get('/v1/internal/whoami', headers)).status).toBe(401);
  });

  it('every failed check answers the same 401 envelope and headers; the reason is only logged', async () => {
    const now = nowSeconds();
    const good = signed();
    const cases: [string, Record<string, string>, string][] = [
      ['no headers', {}, 'SIGNATURE_MISMATCH'],
      [
        'no X-Signature',
        { 'X-Timestamp': good['X-Timestamp'], 'X-Nonce': good['X-Nonce'] },
        'SIGNATURE_MISMATCH',
      ],
      [
        'no X-Timestamp',
        { 'X-Signature': good['X-Signature'], 'X-Nonce': good['X-Nonce'] },
        'TIMESTAMP_INVALID',
      ],
      ['no X-Nonce', { 'X-Signature': good['X-Signature'], 'X-Timestamp': good['X-Timestamp'] }, 'MALFORMED'],
      ['bad signature', { ...good, 'X-Signature': 'ab'.repeat(32) }, 'SIGNATURE_MISMATCH'],
      ['unknown key', signed({ secret: 'someone-else' }), 'SIGNATURE_MISMATCH'],
      ['signature not hex', { ...good, 'X-Signature': 'zz' }, 'SIGNATURE_MISMATCH'],
      ['signature empty', { ...good, 'X-Signature': '' }, 'SIGNATURE_MISMATCH'],
      ['signature of another nonce', { ...good, 'X-Nonce': 'other' }, 'SIGNATURE_MISMATCH'],
      ['stale timestamp', signed({ timestamp: String(now - 301) }), 'TIMESTAMP_EXPIRED'],
      // Beyond the 300 s window by more than this test can take, since the clock moves towards it.
      ['future timestamp', signed({ timestamp: String(now + 330) }), 'TIMESTAMP_EXPIRED'],
      ['timestamp in milliseconds', signed({ timestamp: String(Date.now()) }), 'TIMESTAMP_INVALID'],
      ['timestamp with a sign', signed({ timestamp: `+${now}` }), 'TIMESTAMP_INVALID'],
      ['timestamp with a fraction', signed({ timestamp: `${now}.5` }), 'TIMESTAMP_INVALID'],
      ['timestamp with a leading zero', signed({ timestamp: `0${now}` }), 'TIMESTAMP_INVALID'],
      ['nonce with &', signed({ nonce: 'a&b' }), 'MALFORMED'],
      ['nonce too long', signed({ nonce: 'n'.repeat(129) }), 'MALFORMED'],
    ];
    const seen = new Set<string>();
    for (const [name, headers, code] of cases) {
      logLines.length = 0;
      const response = await get('/v1/internal/user/hello-world', headers);
      expect(response.status, name).toBe(401);
      expect(JSON.parse(response.body), name).toEqual(UNAUTHORIZED);
      const headerNames = [...response.headers.keys()].filter((h) => h !== 'date').sort();
      seen.add(`${response.body} ${headerNames.join(',')} ${response.headers.get('content-length')}`);
      const logged = logLines.join('\n');
      expect(logged, name).toContain(`"code":"${code}"`);
      if (headers['X-Signature']) expect(logged).not.toContain(headers['X-Signature']);
      expect(logged).not.toContain(SECRET);
    }
    expect(seen.size).toBe(1);
  });

  it('a nonce used by a forged request can still be used by the real one', async () => {
    const real = signed();
    expect(
      (await get('/v1/internal/user/hello-world', { ...real, 'X-Signature': '00'.repeat(32) })).status,
    ).toBe(401);
    expect((await get('/v1/internal/user/hello-world', real)).status).toBe(200);
  });

  it('repeated or folded headers are refused with the same 401', async () => {
    const good = signed();
    const lines = headerLines(good);
    for (const extra of [
      ['X-Nonce', 'another'],
      ['X-Signature', good['X-Signature']],
      ['X-Timestamp', good['X-Timestamp']],
    ] as const) {
      const response = await rawRequest(port, '/v1/internal/user/hello-world', [...lines, extra]);
      expect([response.status, response.json]).toEqual([401, UNAUTHORIZED]);
    }
    // The untouched request still passes: none of the refusals used its nonce.
    expect((await rawRequest(port, '/v1/internal/user/hello-world', lines)).status).toBe(200);
  });

  it('unknown routes under /v1/internal are 401 until signed, then 404', async () => {
    const anonymous = await get('/v1/internal/no-such-route');
    expect([anonymous.status, JSON.parse(anonymous.body)]).toEqual([401, UNAUTHORIZED]);
    const authenticated = await get('/v1/internal/no-such-route', signed());
    expect([authenticated.status, JSON.parse(authenticated.body)]).toEqual([
      404,
      { code: 40400, message: 'not found', data: null },
    ]);
  });
});

describe('/v1/internal (inject)', () => {
  it('accepts every key of a rotation keyring and reports which matched', async () => {
    const app = await groupsApp({ secret: ['new-key', 'old-key'] });
    for (const [secret, keyIndex] of [
      ['new-key', 0],
      ['old-key', 1],
    ] as const) {
      const response = await app.inject({ url: '/v1/internal/whoami', headers: signed({ secret }) });
      expect(response.json()).toEqual({ code: 20000, message: '', data: { kind: 'internal', keyIndex } });
    }
    const retired = await app.inject({
      url: '/v1/internal/whoami',
      headers: signed({ secret: 'older-key' }),
    });
    expect([retired.statusCode, retired.json()]).toEqual([401, UNAUTHORIZED]);
    await app.close();
  });

  it('honours maxAgeSeconds on both sides of now', async () => {
    const app = await groupsApp({ maxAgeSeconds: 10 });
    const now = nowSeconds();
    for (const [offset, status] of [
      [-5, 200],
      [5, 200],
      [-20, 401],
      [20, 401],
    ] as const) {
      const headers = signed({ timestamp: String(now + offset) });
      expect(
        (await app.inject({ url: '/v1/internal/user/hello-world', headers })).statusCode,
        `${offset}`,
      ).toBe(status);
    }
    await app.close();
  });

  it('a replay store that cannot answer fails closed with 503, never as an auth failure', async () => {
    const replay = {
      claim: async () => {
        throw new ReplayStoreUnavailableError('down');
      },
    };
    const app = await groupsApp({ replay });
    const response = await app.inject({ url: '/v1/internal/user/hello-world', headers: signed() });
    expect([response.statusCode, response.json()]).toEqual([
      503,
      { code: 50300, message: 'service unavailable', data: null },
    ]);
    // A forged request is still just unauthorized: the store is asked only after the signature.
    const forged = await app.inject({
      url: '/v1/internal/user/hello-world',
      headers: { ...signed(), 'x-signature': '00'.repeat(32) },
    });
    expect(forged.statusCode).toBe(401);
    await app.close();
  });

  it('checks the signature before reading the body: an unsigned caller learns nothing about input', async () => {
    const app = await groupsApp();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/internal/whoami',
      headers: { 'content-type': 'application/json' },
      payload: '{"not json',
    });
    expect([response.statusCode, response.json()]).toEqual([401, UNAUTHORIZED]);
    await app.close();
  });

  it('registerRouteGroups refuses unusable internal options when registering', async () => {
    const app = Fastify();
    const registered = registerRouteGroups(app, {
      internal: { secret: '', replay: new MemoryReplayStore() },
    }).then(() => app.ready());
    await expect(registered).rejects.toMatchObject({ code: 'ROUTE_GROUP_OPTIONS_INVALID' });
    await app.close();
  });

  it('protects only the context it is registered in; principal starts as null', async () => {
    const app = Fastify();
    await app.register(async (scope) => {
      await scope.register(internalAuth, { secret: SECRET, replay: new MemoryReplayStore() });
      scope.get('/protected', async (request) => v1Ok(request.principal));
    });
    await app.register(async (scope) => {
      scope.get('/open', async (request) => v1Ok(request.principal ?? null));
    });
    expect((await app.inject({ url: '/protected' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/protected', headers: signed() })).json().data).toEqual({
      kind: 'internal',
      keyIndex: 0,
    });
    expect((await app.inject({ url: '/open' })).json()).toEqual({ code: 20000, message: '', data: null });
    await app.close();
  });

  it.each([
    ['no secret', { replay: new MemoryReplayStore() }],
    ['an empty secret', { secret: '', replay: new MemoryReplayStore() }],
    ['an empty keyring', { secret: [], replay: new MemoryReplayStore() }],
    ['an empty key in the keyring', { secret: ['k', ''], replay: new MemoryReplayStore() }],
    ['a number as secret', { secret: 42, replay: new MemoryReplayStore() }],
    ['no replay store', { secret: SECRET }],
    ['a replay store without claim', { secret: SECRET, replay: {} }],
    ['maxAgeSeconds 0', { secret: SECRET, replay: new MemoryReplayStore(), maxAgeSeconds: 0 }],
    ['maxAgeSeconds -1', { secret: SECRET, replay: new MemoryReplayStore(), maxAgeSeconds: -1 }],
    ['maxAgeSeconds 1.5', { secret: SECRET, replay: new MemoryReplayStore(), maxAgeSeconds: 1.5 }],
    ['maxAgeSeconds as text', { secret: SECRET, replay: new MemoryReplayStore(), maxAgeSeconds: '300' }],
  ])('refuses %s at registration with a coded error', async (_name, options) => {
    const app = Fastify();
    const registered = app.register(internalAuth, options as never).ready();
    await expect(registered).rejects.toBeInstanceOf(RouteGroupOptionsError);
    await expect(registered).rejects.toMatchObject({ code: 'ROUTE_GROUP_OPTIONS_INVALID' });
    await app.close();
  });
});
