// Seed 001's /v1/service group on the master: JWTs issued to named services (audience
// signet-service), their scope the service's current one, revocable; failures 401, read-only
// writing 403, and a refused write changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteService, revokeServiceTokens, upsertService } from '../src/index.js';
import {
  type ApiMaster,
  AUDIENCE,
  bearerRequest,
  loginAdmin,
  masterJwt,
  READ_ONLY_MESSAGE,
  send,
  serviceToken,
  startApiMaster,
  storeSnapshot,
  V1_UNAUTHORIZED,
  v1Fail,
} from './support/api-master.js';
import { storeKinds } from './support/store.js';

const FORBIDDEN = v1Fail(40300, READ_ONLY_MESSAGE);

describe.each(storeKinds())('/v1/service on %s', (kind) => {
  let api: ApiMaster;
  beforeAll(async () => {
    api = await startApiMaster(kind);
  });
  afterAll(() => api?.close());

  /** Sends a refused write and proves the store is unchanged. */
  async function refusedWrite(token: string | undefined, expected: object, status: number) {
    const before = await storeSnapshot(api);
    const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
    for (const [method, path, body] of [
      ['POST', '/v1/service/nodes', JSON.stringify({ name: 'refused' })],
      ['POST', '/v1/service/users', JSON.stringify({ email: 'refused@x.io' })],
      ['DELETE', '/v1/service/users/kept@x.io', undefined],
      ['PUT', '/v1/service/users/kept@x.io', JSON.stringify({ enabled: false })],
    ] as const) {
      const res = await send(api, method, path, headers, body);
      expect(res.status, `${method} ${path}`).toBe(status);
      expect(res.json, `${method} ${path}`).toStrictEqual(expected);
    }
    expect(await storeSnapshot(api)).toStrictEqual(before);
  }

  it('a read-write service reads and writes, in the {code, message, data} envelope', async () => {
    const token = await serviceToken(api, 'provisioner', 'read-write');
    const me = await bearerRequest(api, token, 'GET', '/v1/service/me');
    expect(me.status).toBe(200);
    expect(me.json).toStrictEqual({
      code: 20000,
      message: '',
      data: { kind: 'service', name: 'provisioner', canWrite: true },
    });
    const user = await bearerRequest(
      api,
      token,
      'POST',
      '/v1/service/users',
      JSON.stringify({ email: 'kept@x.io' }),
    );
    expect(user.status).toBe(200);
    expect(user.json).toMatchObject({
      code: 20000,
      message: '',
      data: { email: 'kept@x.io', enabled: true },
    });
  });

  it('accepts a token issued right after the service was created (as `signet service token` does)', async () => {
    await upsertService(api.master.db, 'brand-new', 'read-write');
    const token = await masterJwt(api, {
      subject: 'brand-new',
      audience: AUDIENCE.service,
      claims: { scope: 'read write' },
    });
    const me = await bearerRequest(api, token, 'GET', '/v1/service/me');
    expect(me.json).toStrictEqual({
      code: 20000,
      message: '',
      data: { kind: 'service', name: 'brand-new', canWrite: true },
    });
  });

  it('a read-only service reads, and writing is 403 {code: 40300}', async () => {
    const token = await serviceToken(api, 'reporter', 'read-only');
    const summary = await bearerRequest(api, token, 'GET', '/v1/service/cluster/summary');
    expect(summary.status).toBe(200);
    expect(summary.json).toStrictEqual({
      code: 20000,
      message: '',
      data: {
        nodes: { total: 0, online: 0, offline: 0 },
        cores: {},
        users: { total: 1, enabled: 1 },
        traffic: { up: '0', down: '0' },
      },
    });
    expect((await bearerRequest(api, token, 'GET', '/v1/service/me')).json.data).toStrictEqual({
      kind: 'service',
      name: 'reporter',
      canWrite: false,
    });
    await refusedWrite(token, FORBIDDEN, 403);
  });

  it('has no key or audit routes: keys are for admins, who did what for admins and internal callers', async () => {
    const token = await serviceToken(api, 'provisioner', 'read-write');
    for (const [method, path] of [
      ['GET', '/v1/service/keys'],
      ['POST', '/v1/service/keys'],
      ['GET', '/v1/service/audit'],
    ] as const) {
      const res = await bearerRequest(api, token, method, path, method === 'POST' ? '{}' : undefined);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.json).toStrictEqual({ code: 40400, message: 'not found', data: null });
    }
  });

  it('a token claiming "read write" for a read-only service cannot write', async () => {
    await upsertService(api.master.db, 'claimer', 'read-only', { now: new Date(Date.now() - 10_000) });
    const token = await masterJwt(api, {
      subject: 'claimer',
      audience: AUDIENCE.service,
      claims: { scope: 'read write' },
    });
    await refusedWrite(token, FORBIDDEN, 403);
  });

  it('narrowing a service to read-only narrows its existing tokens at once', async () => {
    const token = await serviceToken(api, 'narrowed', 'read-write');
    expect((await bearerRequest(api, token, 'GET', '/v1/service/me')).json.data.canWrite).toBe(true);
    await upsertService(api.master.db, 'narrowed', 'read-only');
    await refusedWrite(token, FORBIDDEN, 403);
  });

  it('refuses no token, garbage, an admin token (wrong audience), expired and unknown services with 401', async () => {
    const adminToken = await loginAdmin(api);
    expect((await bearerRequest(api, adminToken, 'GET', '/v1/web/me')).status).toBe(200);
    const expired = await serviceToken(api, 'late', 'read-write', {
      expiresInSeconds: 60,
      now: Date.now() - 7_200_000,
    });
    const unknown = await masterJwt(api, {
      subject: 'never-created',
      audience: AUDIENCE.service,
      claims: { scope: 'read write' },
    });
    const otherIssuer = await serviceToken(api, 'foreign', 'read-write', { issuer: 'elsewhere' });
    for (const token of [undefined, 'garbage', 'a.b.c', adminToken, expired, unknown, otherIssuer]) {
      const me = await send(
        api,
        'GET',
        '/v1/service/me',
        token === undefined ? {} : { authorization: `Bearer ${token}` },
      );
      expect(me.status).toBe(401);
      expect(me.json).toStrictEqual(V1_UNAUTHORIZED);
      await refusedWrite(token, V1_UNAUTHORIZED, 401);
    }
  });

  it('refuses the tokens of a revoked service, and accepts one issued after the revocation', async () => {
    const old = await serviceToken(api, 'revoked', 'read-write', { now: Date.now() - 5_000 });
    expect((await bearerRequest(api, old, 'GET', '/v1/service/me')).status).toBe(200);
    expect(await revokeServiceTokens(api.master.db, 'revoked')).toBe(true);
    expect((await bearerRequest(api, old, 'GET', '/v1/service/me')).json).toStrictEqual(V1_UNAUTHORIZED);
    await refusedWrite(old, V1_UNAUTHORIZED, 401);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const fresh = await serviceToken(api, 'revoked', 'read-write');
    expect((await bearerRequest(api, fresh, 'GET', '/v1/service/me')).status).toBe(200);
  });

  it('refuses the tokens of a deleted service', async () => {
    const token = await serviceToken(api, 'deleted', 'read-write');
    expect((await bearerRequest(api, token, 'GET', '/v1/service/me')).status).toBe(200);
    expect(await deleteService(api.master.db, 'deleted')).toBe(true);
    expect((await bearerRequest(api, token, 'GET', '/v1/service/me')).json).toStrictEqual(V1_UNAUTHORIZED);
    await refusedWrite(token, V1_UNAUTHORIZED, 401);
  });

  it('a service token is refused on /v1/web and an admin token on /v1/service', async () => {
    const svc = await serviceToken(api, 'crosser', 'read-write');
    expect((await bearerRequest(api, svc, 'GET', '/v1/web/me')).json).toStrictEqual(V1_UNAUTHORIZED);
    const res = await send(api, 'POST', '/v1/web/nodes', { authorization: `Bearer ${svc}` }, '{"name":"x"}');
    expect(res.json).toStrictEqual(V1_UNAUTHORIZED);
  });
});
