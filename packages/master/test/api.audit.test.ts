// The audit log through GET /v1/web/audit: every write through each family and every refusal is
// recorded with who, what, target, from where, result and status; successful admin reads are not;
// filters and paging work; a bad query is 400.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type ApiMaster,
  bearerRequest,
  internalHeaders,
  internalRequest,
  type Key,
  loginAdmin,
  newKey,
  send,
  serviceToken,
  startApiMaster,
  temAuthorization,
  temRequest,
  v1Fail,
} from './support/api-master.js';
import { storeKinds } from './support/store.js';

interface Event {
  id: number;
  at: string;
  actorKind: string;
  actor: string;
  action: string;
  target: string | null;
  source: string | null;
  result: string;
  status: number | null;
  detail: string | null;
}

describe.each(storeKinds())('audit on %s', (kind) => {
  let api: ApiMaster;
  let admin: string;
  let key: Key;
  let readOnly: Key;
  let service: string;
  let readOnlyService: string;

  const audit = async (query = 'limit=500') => {
    const res = await bearerRequest(api, admin, 'GET', `/v1/web/audit?${query}`);
    expect(res.status, res.text).toBe(200);
    return res.json.data as { events: Event[]; nextBefore: number | null };
  };
  /** Waits for an event (audit rows are written once the answer has been sent). */
  const expectEvent = (expected: Partial<Event>) =>
    vi.waitFor(
      async () => {
        const { events } = await audit();
        expect(events).toContainEqual({
          id: expect.any(Number),
          at: expect.any(String),
          target: null,
          source: '127.0.0.1',
          ...expected,
        });
      },
      { timeout: 3000, interval: 50 },
    );

  beforeAll(async () => {
    api = await startApiMaster(kind);
    admin = await loginAdmin(api);
    key = await newKey(api, 'L3.SHA256', 'read-write');
    readOnly = await newKey(api, 'L3.SHA256', 'read-only');
    service = await serviceToken(api, 'provisioner', 'read-write');
    readOnlyService = await serviceToken(api, 'reporter', 'read-only');
  });
  afterAll(() => api?.close());

  it('records the login', async () => {
    await expectEvent({
      actorKind: 'admin',
      actor: 'alice',
      action: 'auth.login',
      result: 'ok',
      status: 200,
      detail: null,
    });
    await send(
      api,
      'POST',
      '/v1/public/auth/login',
      {},
      JSON.stringify({ name: 'alice', password: 'wrong password' }),
    );
    await expectEvent({
      actorKind: 'anonymous',
      actor: 'alice',
      action: 'auth.login',
      result: 'denied',
      status: 401,
      detail: 'invalid',
    });
  });

  it('records every write through each family, with its actor and target', async () => {
    expect((await bearerRequest(api, admin, 'POST', '/v1/web/nodes', '{"name":"n1"}')).status).toBe(200);
    await expectEvent({
      actorKind: 'admin',
      actor: 'alice',
      action: 'nodes.create',
      target: 'name=n1',
      result: 'ok',
      status: 200,
      detail: 'web',
    });
    expect((await temRequest(api, key, 'POST', '/api/v1/users', '{"email":"u@x.io"}')).status).toBe(200);
    await expectEvent({
      actorKind: 'access-key',
      actor: key.accessKey,
      action: 'users.create',
      target: 'email=u@x.io',
      result: 'ok',
      status: 200,
      detail: 'openapi',
    });
    expect(
      (await bearerRequest(api, service, 'PUT', '/v1/service/users/u@x.io', '{"enabled":false}')).status,
    ).toBe(200);
    await expectEvent({
      actorKind: 'service',
      actor: 'provisioner',
      action: 'users.update',
      target: 'email=u@x.io',
      result: 'ok',
      status: 200,
      detail: 'service',
    });
    expect((await internalRequest(api, 'PUT', '/v1/internal/nodes/1/settings', '{"port":2053}')).status).toBe(
      200,
    );
    await expectEvent({
      actorKind: 'internal',
      actor: 'internal',
      action: 'nodes.update',
      target: 'id=1',
      result: 'ok',
      status: 200,
      detail: 'internal',
    });
    expect((await temRequest(api, key, 'DELETE', '/api/v1/users/u@x.io')).status).toBe(200);
    await expectEvent({
      actorKind: 'access-key',
      actor: key.accessKey,
      action: 'users.delete',
      target: 'email=u@x.io',
      result: 'ok',
      status: 200,
      detail: 'openapi',
    });
    // a write that fails is recorded as failed
    expect((await bearerRequest(api, admin, 'POST', '/v1/web/nodes/1/restart')).status).toBe(409);
    await expectEvent({
      actorKind: 'admin',
      actor: 'alice',
      action: 'nodes.restart',
      target: 'id=1',
      result: 'failed',
      status: 409,
      detail: 'web',
    });
  });

  it('records every refusal', async () => {
    const forged = temAuthorization(
      { ...key, secretKey: '0'.repeat(32) },
      'POST',
      '/api/v1/nodes',
      '{"name":"x"}',
    );
    expect((await send(api, 'POST', '/api/v1/nodes', { authorization: forged }, '{"name":"x"}')).status).toBe(
      401,
    );
    await expectEvent({
      actorKind: 'anonymous',
      actor: key.accessKey,
      action: 'nodes.create',
      result: 'denied',
      status: 401,
      detail: 'openapi',
    });
    expect((await temRequest(api, readOnly, 'DELETE', '/api/v1/nodes/1')).status).toBe(403);
    await expectEvent({
      actorKind: 'access-key',
      actor: readOnly.accessKey,
      action: 'nodes.delete',
      target: 'id=1',
      result: 'denied',
      status: 403,
      detail: 'openapi',
    });
    expect((await send(api, 'POST', '/v1/web/users', {}, '{"email":"w@x.io"}')).status).toBe(401);
    await expectEvent({
      actorKind: 'anonymous',
      actor: 'unknown',
      action: 'users.create',
      result: 'denied',
      status: 401,
      detail: 'web',
    });
    expect(
      (await send(api, 'GET', '/v1/internal/cluster/summary', internalHeaders({ secret: 'wrong' }))).status,
    ).toBe(401);
    await expectEvent({
      actorKind: 'anonymous',
      actor: 'unknown',
      action: 'cluster.summary',
      result: 'denied',
      status: 401,
      detail: 'internal',
    });
    expect(
      (await bearerRequest(api, readOnlyService, 'POST', '/v1/service/users', '{"email":"s@x.io"}')).status,
    ).toBe(403);
    await expectEvent({
      actorKind: 'service',
      actor: 'reporter',
      action: 'users.create',
      target: 'email=s@x.io', // authenticated, so its body was read: the refusal names what it tried
      result: 'denied',
      status: 403,
      detail: 'service',
    });
    expect((await bearerRequest(api, admin, 'POST', '/v1/web/users', '{"email":"bad"}')).status).toBe(400);
    await expectEvent({
      actorKind: 'admin',
      actor: 'alice',
      action: 'users.create',
      target: 'email=bad',
      result: 'failed',
      status: 400,
      detail: 'web',
    });
  });

  it('records machine reads and leaves out successful admin reads', async () => {
    expect((await temRequest(api, key, 'GET', '/api/v1/nodes')).status).toBe(200);
    await expectEvent({
      actorKind: 'access-key',
      actor: key.accessKey,
      action: 'nodes.list',
      result: 'ok',
      status: 200,
      detail: 'openapi',
    });
    expect((await bearerRequest(api, admin, 'GET', '/v1/web/users')).status).toBe(200);
    expect((await bearerRequest(api, admin, 'GET', '/v1/web/nodes/99')).status).toBe(404);
    await expectEvent({
      actorKind: 'admin',
      actor: 'alice',
      action: 'nodes.get',
      target: 'id=99',
      result: 'failed',
      status: 404,
      detail: 'web',
    });
    const { events } = await audit();
    expect(events.filter((e) => e.action === 'users.list')).toStrictEqual([]);
    expect(events.filter((e) => e.action === 'audit.list')).toStrictEqual([]);
  });

  it('filters by actor, action and result', async () => {
    const all = (await audit()).events;
    const byActor = (await audit('actor=alice&limit=500')).events;
    expect(byActor.length).toBeGreaterThan(2);
    expect(byActor).toStrictEqual(all.filter((e) => e.actor === 'alice'));
    const byAction = (await audit('action=users.create&limit=500')).events;
    expect(byAction.length).toBeGreaterThan(2);
    expect(byAction).toStrictEqual(all.filter((e) => e.action === 'users.create'));
    const byPrefix = (await audit('action=users.*&limit=500')).events;
    expect(byPrefix).toStrictEqual(all.filter((e) => e.action.startsWith('users.')));
    const denied = (await audit('result=denied&limit=500')).events;
    expect(denied.length).toBeGreaterThan(4);
    expect(denied).toStrictEqual(all.filter((e) => e.result === 'denied'));
    const combined = (await audit('result=denied&actor=unknown&limit=500')).events;
    expect(combined).toStrictEqual(all.filter((e) => e.result === 'denied' && e.actor === 'unknown'));
    expect(combined.length).toBe(2);
  });

  it('pages newest first with before = nextBefore', async () => {
    const all = (await audit('actor=alice&limit=500')).events;
    expect(all.map((e) => e.id)).toStrictEqual([...all.map((e) => e.id)].sort((a, b) => b - a));
    const pages: Event[] = [];
    let before: number | null = null;
    for (let i = 0; i < 50; i++) {
      const page: { events: Event[]; nextBefore: number | null } = await audit(
        `actor=alice&limit=2${before === null ? '' : `&before=${before}`}`,
      );
      expect(page.events.length).toBeLessThanOrEqual(2);
      pages.push(...page.events);
      if (page.nextBefore === null) break;
      expect(page.nextBefore).toBe(page.events[page.events.length - 1]!.id);
      before = page.nextBefore;
    }
    expect(pages).toStrictEqual(all);
  });

  it('answers a bad query 400 in the envelope', async () => {
    for (const query of [
      'limit=0',
      'limit=501',
      'limit=abc',
      'result=maybe',
      'actorKind=robot',
      'before=-1',
      'before=x',
      'since=not-a-date',
      'until=2024-13-45T99',
    ]) {
      const res = await bearerRequest(api, admin, 'GET', `/v1/web/audit?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.json, query).toStrictEqual(v1Fail(40000, expect.stringMatching(/.+/)));
    }
  });
});
