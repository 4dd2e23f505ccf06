// Seed 001's /v1/internal group on the master: X-Signature / X-Timestamp / X-Nonce, a 300 s window,
// nonces claimed once; every failure the same 401 envelope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiMaster,
  internalHeaders,
  internalRequest,
  send,
  startApiMaster,
  storeSnapshot,
  unixTime,
  V1_UNAUTHORIZED,
} from './support/api-master.js';
import { storeKinds } from './support/store.js';

const HELLO = '/v1/internal/user/hello-world';

/** A state-changing request: method, path, body. */
type Write = readonly [method: 'POST' | 'PUT' | 'DELETE', path: string, body: string | undefined];

describe.each(storeKinds())('/v1/internal on %s', (kind) => {
  let api: ApiMaster;
  beforeAll(async () => {
    api = await startApiMaster(kind);
  });
  afterAll(() => api?.close());

  it("answers seed 001's hello-world exactly", async () => {
    const res = await internalRequest(api, 'GET', HELLO);
    expect(res.status).toBe(200);
    expect(res.json).toStrictEqual({ code: 20000, message: '', data: null });
    expect(JSON.parse(res.text)).toStrictEqual(JSON.parse('{"code": 20000, "message": "", "data": null}'));
  });

  it('serves the operations in the {code, message, data} envelope', async () => {
    const summary = await internalRequest(api, 'GET', '/v1/internal/cluster/summary');
    expect(summary.status).toBe(200);
    expect(summary.json).toStrictEqual({
      code: 20000,
      message: '',
      data: {
        nodes: { total: 0, online: 0, offline: 0 },
        cores: {},
        users: { total: 0, enabled: 0 },
        traffic: { up: '0', down: '0' },
      },
    });
    const created = await internalRequest(
      api,
      'POST',
      '/v1/internal/users',
      JSON.stringify({ email: 'i@x.io' }),
    );
    expect(created.status).toBe(200);
    expect(created.json).toStrictEqual({
      code: 20000,
      message: '',
      data: {
        id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
        email: 'i@x.io',
        enabled: true,
        createdAt: expect.any(String),
        traffic: { up: '0', down: '0' },
      },
    });
    const me = await internalRequest(api, 'GET', '/v1/internal/me');
    expect(me.json).toStrictEqual({
      code: 20000,
      message: '',
      data: { kind: 'internal', name: 'internal', canWrite: true },
    });
  });

  it('accepts timestamps inside the 300 s window on both sides', async () => {
    for (const offset of [-250, 250]) {
      const res = await send(api, 'GET', HELLO, internalHeaders({ timestamp: unixTime(offset) }));
      expect(res.status, `offset ${offset}`).toBe(200);
    }
  });

  const refusals: [string, () => Record<string, string>][] = [
    ['a signature made with another key', () => internalHeaders({ secret: 'not-the-key' })],
    [
      'a signature with one character changed',
      () => {
        const h = internalHeaders();
        const s = h['X-Signature']!;
        return { ...h, 'X-Signature': (s[0] === '0' ? '1' : '0') + s.slice(1) };
      },
    ],
    ['a signature for another nonce', () => ({ ...internalHeaders({ nonce: 'n-one' }), 'X-Nonce': 'n-two' })],
    ['a stale timestamp (301 s old)', () => internalHeaders({ timestamp: unixTime(-301) })],
    [
      'a future timestamp (305 s ahead: a second ticking on the way cannot bring it in)',
      () => internalHeaders({ timestamp: unixTime(305) }),
    ],
    ['a timestamp in milliseconds', () => internalHeaders({ timestamp: String(Date.now()) })],
    ['a timestamp that is not a number', () => internalHeaders({ timestamp: 'yesterday' })],
    ['a timestamp with a fraction', () => internalHeaders({ timestamp: `${unixTime()}.5` })],
    ['no X-Signature', () => without(internalHeaders(), 'X-Signature')],
    ['no X-Timestamp', () => without(internalHeaders(), 'X-Timestamp')],
    ['no X-Nonce', () => without(internalHeaders(), 'X-Nonce')],
    ['an empty X-Signature', () => ({ ...internalHeaders(), 'X-Signature': '' })],
    ['an empty X-Nonce', () => ({ ...internalHeaders(), 'X-Nonce': '' })],
    ['a signature that is not hex', () => ({ ...internalHeaders(), 'X-Signature': 'z'.repeat(64) })],
    ['no headers at all', () => ({})],
    ['a bearer token instead', () => ({ authorization: 'Bearer abc.def.ghi' })],
  ];

  it.each(refusals)('refuses %s with 401 {code: 40100}', async (_name, headers) => {
    for (const path of [HELLO, '/v1/internal/cluster/summary']) {
      const res = await send(api, 'GET', path, headers());
      expect(res.status, path).toBe(401);
      expect(res.json, path).toStrictEqual(V1_UNAUTHORIZED);
    }
  });

  // The same matrix on every state-changing route: each refused write answers 401 and leaves the
  // store as it was. The targets (a user, a node) exist, so an accepted write would change them;
  // the last test proves that each of these writes, correctly signed, does.
  let targets = 0;
  /** A user and a node made with a valid signature, and one write of each kind aimed at them. */
  async function writesOnTargets(): Promise<Write[]> {
    const tag = `w${++targets}`;
    const email = `${tag}@x.io`;
    const user = await internalRequest(api, 'POST', '/v1/internal/users', JSON.stringify({ email }));
    expect(user.status, user.text).toBe(200);
    const node = await internalRequest(api, 'POST', '/v1/internal/nodes', JSON.stringify({ name: tag }));
    expect(node.status, node.text).toBe(200);
    const id = String((node.json as { data: { node: { id: number } } }).data.node.id);
    return [
      ['POST', '/v1/internal/users', JSON.stringify({ email: `${tag}-new@x.io` })],
      ['PUT', `/v1/internal/users/${email}`, '{"enabled":false}'],
      ['DELETE', `/v1/internal/users/${email}`, undefined],
      ['POST', '/v1/internal/nodes', JSON.stringify({ name: `${tag}-new` })],
      ['POST', `/v1/internal/nodes/${id}/token`, undefined],
      ['PUT', `/v1/internal/nodes/${id}/settings`, '{"port":1234}'],
      ['DELETE', `/v1/internal/nodes/${id}`, undefined],
    ];
  }

  /** Sends every write with `headers()` (fresh for each) and expects each refused, the store unchanged. */
  async function refusedUnchanged(writes: readonly Write[], headers: () => Record<string, string>) {
    const before = await storeSnapshot(api);
    for (const [method, path, body] of writes) {
      const res = await send(api, method, path, headers(), body);
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.json, `${method} ${path}`).toStrictEqual(V1_UNAUTHORIZED);
    }
    expect(await storeSnapshot(api)).toStrictEqual(before);
  }

  it.each(refusals)(
    'refuses writes with %s: 401 on every write route, changing nothing',
    async (_n, headers) => {
      await refusedUnchanged(await writesOnTargets(), headers);
    },
  );

  it('refuses writes with a replayed nonce (used by a read or by a write), changing nothing', async () => {
    const writes = await writesOnTargets();
    const readNonce = internalHeaders();
    expect((await send(api, 'GET', HELLO, readNonce)).status).toBe(200);
    await refusedUnchanged(writes, () => readNonce);
    const [create] = writes;
    const writeNonce = internalHeaders();
    expect((await send(api, 'POST', create![1], writeNonce, create![2])).status).toBe(200);
    await refusedUnchanged(writes, () => writeNonce);
  });

  it('each of those writes, correctly signed, does change the store', async () => {
    for (const [method, path, body] of await writesOnTargets()) {
      const before = await storeSnapshot(api);
      const res = await send(api, method, path, internalHeaders(), body);
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(200);
      expect(await storeSnapshot(api), `${method} ${path}`).not.toStrictEqual(before);
    }
  });

  it('refuses a replayed nonce, and a forged request does not use up the nonce', async () => {
    const forged = { ...internalHeaders({ secret: 'wrong', nonce: 'nonce-forged-first' }) };
    expect((await send(api, 'GET', HELLO, forged)).status).toBe(401);

    const headers = internalHeaders({ nonce: 'nonce-forged-first' });
    const first = await send(api, 'GET', HELLO, headers);
    expect(first.status).toBe(200);
    const replay = await send(api, 'GET', HELLO, headers);
    expect(replay.status).toBe(401);
    expect(replay.json).toStrictEqual(V1_UNAUTHORIZED);
    // the same nonce on another route is still a replay
    const elsewhere = await send(api, 'GET', '/v1/internal/cluster/summary', headers);
    expect(elsewhere.json).toStrictEqual(V1_UNAUTHORIZED);
  });

  it('refused writes change nothing', async () => {
    const before = await storeSnapshot(api);
    const body = JSON.stringify({ name: 'refused-node' });
    for (const headers of [
      internalHeaders({ secret: 'wrong' }),
      internalHeaders({ timestamp: unixTime(-400) }),
      without(internalHeaders(), 'X-Nonce'),
    ]) {
      const res = await send(api, 'POST', '/v1/internal/nodes', headers, body);
      expect(res.json).toStrictEqual(V1_UNAUTHORIZED);
    }
    const used = internalHeaders();
    expect((await send(api, 'DELETE', '/v1/internal/users/i@x.io', used)).status).toBe(200);
    const afterDelete = await storeSnapshot(api);
    expect(afterDelete).not.toStrictEqual(before);
    expect(
      (await send(api, 'POST', '/v1/internal/users', used, JSON.stringify({ email: 'r@x.io' }))).status,
    ).toBe(401);
    expect(await storeSnapshot(api)).toStrictEqual(afterDelete);
  });

  it('answers an unknown route 401 before authentication and 404 after', async () => {
    expect((await send(api, 'GET', '/v1/internal/no-such-route', {})).json).toStrictEqual(V1_UNAUTHORIZED);
    const res = await internalRequest(api, 'GET', '/v1/internal/no-such-route');
    expect(res.status).toBe(404);
    expect(res.json).toStrictEqual({ code: 40400, message: 'not found', data: null });
  });
});

function without(headers: Record<string, string>, name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([key]) => key !== name));
}
