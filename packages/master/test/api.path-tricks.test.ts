// Dot segments, encoded slashes, empty segments and backslashes can never move a request from one
// route group to another: sent as raw request targets over a socket (fetch would normalize them),
// each is refused 400 in its family's envelope before any route runs, even when correctly signed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiMaster,
  auditRows,
  internalHeaders,
  type Key,
  newKey,
  rawRequest,
  startApiMaster,
  storeSnapshot,
  temAuthorization,
  temFail,
  v1Fail,
} from './support/api-master.js';
import { storeKinds } from './support/store.js';

const MESSAGE = 'the path must not contain encoded slashes, backslashes, empty segments or dot segments';
const HELLO = 'internal/user/hello-world';

const V1_TARGETS = [
  `/v1/public/../${HELLO}`,
  `/v1/public/%2e%2e/${HELLO}`,
  `/v1/public/%2E%2E/${HELLO}`,
  `/v1/public/.%2e/${HELLO}`,
  `/v1/public/%252e%252e/${HELLO}`,
  `/v1//${HELLO}`,
  `/v1/public//../${HELLO}`,
  `/v1/public%2f..%2f${HELLO}`,
  `/v1/public%2F..%2F${HELLO}`,
  `/v1/public/..;/${HELLO}`,
  `/v1/public/..\\${HELLO}`,
  `/v1/public\\..\\${HELLO}`,
  `/v1/public%5c..%5c${HELLO}`,
  `/v1/internal/./user/hello-world`,
  `/v1/internal/user/../user/hello-world`,
  '/v1/web/../internal/cluster/summary',
  '/v1/public/../web/nodes',
  '/v1/public/health/..',
];

const API_TARGETS = [
  `/api/v1/../v1/${HELLO}`,
  `/api/v1/%2e%2e/v1/${HELLO}`,
  '/api/v1/nodes/%2e%2e/keys',
  '/api/v1/nodes/..%2fkeys',
  '/api/v1/nodes/1/%2e%2e/%2e%2e/keys',
  '/api/v1/nodes/./1',
  '/api/v1//nodes',
  '/api/v1\\nodes',
  '/api/v1/nodes%5c..%5ckeys',
];

describe.each(storeKinds())('path tricks on %s', (kind) => {
  let api: ApiMaster;
  let key: Key;
  beforeAll(async () => {
    api = await startApiMaster(kind);
    key = await newKey(api, 'L3.SHA256', 'read-write');
  });
  afterAll(() => api?.close());

  it('a normal raw target is answered', async () => {
    const res = await rawRequest(api, 'GET', '/v1/public/health');
    expect(res.status).toBe(200);
    expect(res.json).toStrictEqual({ code: 20000, message: '', data: { status: 'ok' } });
    const hello = await rawRequest(api, 'GET', `/v1/${HELLO}`, internalHeaders());
    expect(hello.json).toStrictEqual({ code: 20000, message: '', data: null });
  });

  it.each(V1_TARGETS)('GET %s is 400 in the {code, message, data} envelope', async (target) => {
    const events = (await auditRows(api)).length;
    for (const headers of [{}, internalHeaders()]) {
      const res = await rawRequest(api, 'GET', target, headers);
      expect(res.status, res.text).toBe(400);
      expect(res.json).toStrictEqual(v1Fail(40000, MESSAGE));
    }
    expect((await auditRows(api)).length).toBe(events); // no route ran
  });

  it.each(API_TARGETS)(
    'signed GET and DELETE of %s are 400 in the TEM envelope, changing nothing',
    async (target) => {
      const before = await storeSnapshot(api);
      const events = (await auditRows(api)).length;
      for (const method of ['GET', 'DELETE']) {
        const res = await rawRequest(api, method, target, {
          authorization: temAuthorization(key, method, target),
        });
        expect(res.status, `${method} ${res.text}`).toBe(400);
        expect(res.json).toStrictEqual(temFail(40000, MESSAGE));
      }
      // A target that matches a route's pattern (`/nodes/:id` with id `..%2fkeys`) is refused before
      // authentication, but that route's audit hook records the refusal (before the answer is sent,
      // so nothing is pending now): one row per request at most, never as ok.
      const rows = await auditRows(api);
      const added = rows.slice(0, rows.length - events);
      expect(added.length).toBeLessThanOrEqual(2);
      for (const event of added) {
        expect(event).toMatchObject({ actor_kind: 'anonymous', result: 'failed' });
        expect(Number(event.status)).toBe(400);
      }
      expect(await storeSnapshot(api)).toStrictEqual(before);
    },
  );

  it('a refused trick that matched a route is in the audit log, once per request, as failed', async () => {
    const target = '/api/v1/nodes/..%2fkeys';
    const events = (await auditRows(api)).length;
    for (const method of ['GET', 'DELETE']) {
      const res = await rawRequest(api, method, target, {
        authorization: temAuthorization(key, method, target),
      });
      expect(res.status).toBe(400);
    }
    const added = (await auditRows(api)).slice(0, 2);
    expect((await auditRows(api)).length).toBe(events + 2);
    expect(added.map((e) => [e.action, e.actor_kind, e.result, Number(e.status)])).toStrictEqual([
      ['nodes.delete', 'anonymous', 'failed', 400],
      ['nodes.get', 'anonymous', 'failed', 400],
    ]);
  });

  it('a write smuggled from /v1/public into /v1/internal changes nothing', async () => {
    const before = await storeSnapshot(api);
    const res = await rawRequest(
      api,
      'POST',
      '/v1/public/../internal/nodes',
      internalHeaders(),
      '{"name":"smuggled"}',
    );
    expect(res.status).toBe(400);
    expect(res.json).toStrictEqual(v1Fail(40000, MESSAGE));
    expect(await storeSnapshot(api)).toStrictEqual(before);
  });
});
