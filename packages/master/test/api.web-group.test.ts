// Seed 001's /v1/web group on the master: admin JWTs from POST /v1/public/auth/login; every
// failure the same 401 envelope, and a refused write changes nothing.
import { generateKeyPairSync } from 'node:crypto';
import { signJwt } from '@signet/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmin, deleteAdmin, getAdmin, loadJwtKeys } from '../src/index.js';
import {
  ADMIN,
  type ApiMaster,
  AUDIENCE,
  bearerRequest,
  loginAdmin,
  masterJwt,
  send,
  serviceToken,
  startApiMaster,
  storeSnapshot,
  V1_UNAUTHORIZED,
} from './support/api-master.js';
import { storeKinds } from './support/store.js';

describe.each(storeKinds())('/v1/web on %s', (kind) => {
  let api: ApiMaster;
  let token: string;
  beforeAll(async () => {
    api = await startApiMaster(kind);
    token = await loginAdmin(api);
  });
  afterAll(() => api?.close());

  it('accepts the token from the login, in the {code, message, data} envelope', async () => {
    const me = await bearerRequest(api, token, 'GET', '/v1/web/me');
    expect(me.status).toBe(200);
    expect(me.json).toStrictEqual({
      code: 20000,
      message: '',
      data: { kind: 'admin', name: 'alice', canWrite: true },
    });
    const created = await bearerRequest(
      api,
      token,
      'POST',
      '/v1/web/nodes',
      JSON.stringify({ name: 'web-1' }),
    );
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({
      code: 20000,
      message: '',
      data: { node: { id: 1, name: 'web-1' } },
    });
    const keys = await bearerRequest(api, token, 'GET', '/v1/web/keys');
    expect(keys.json).toStrictEqual({ code: 20000, message: '', data: [] });
  });

  const adminId = async () => (await getAdmin(api.master.db, ADMIN.name))!.id;
  const webClaims = async () => ({ scope: 'read write', aid: await adminId() });

  const refusals: [string, () => Promise<Record<string, string>>][] = [
    ['no Authorization header', async () => ({})],
    ['"Bearer" and nothing else', async () => ({ authorization: 'Bearer' })],
    ['"Bearer " and a space', async () => ({ authorization: 'Bearer ' })],
    ['a garbage token', async () => ({ authorization: 'Bearer not-a-jwt' })],
    ['three garbage parts', async () => ({ authorization: 'Bearer aaa.bbb.ccc' })],
    ['the token without "Bearer"', async () => ({ authorization: token })],
    ['the token as Basic', async () => ({ authorization: `Basic ${token}` })],
    [
      'the token with its payload changed',
      async () => {
        const [header, , signature] = token.split('.');
        const payload = Buffer.from(
          JSON.stringify({ sub: 'mallory', aud: AUDIENCE.web, iss: 'signet-master', scope: 'read write' }),
        ).toString('base64url');
        return { authorization: `Bearer ${header}.${payload}.${signature}` };
      },
    ],
    [
      'an unsigned token (alg none)',
      async () => {
        const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
        const now = Math.floor(Date.now() / 1000);
        const body = {
          sub: 'alice',
          aud: AUDIENCE.web,
          iss: 'signet-master',
          iat: now,
          exp: now + 600,
          aid: 1,
        };
        return { authorization: `Bearer ${enc({ alg: 'none', typ: 'JWT' })}.${enc(body)}.` };
      },
    ],
    [
      'an expired token',
      async () => ({
        authorization: `Bearer ${await masterJwt(api, {
          subject: 'alice',
          audience: AUDIENCE.web,
          claims: await webClaims(),
          expiresInSeconds: 60,
          now: Date.now() - 3_600_000,
        })}`,
      }),
    ],
    [
      'a token of another issuer',
      async () => ({
        authorization: `Bearer ${await masterJwt(api, {
          subject: 'alice',
          audience: AUDIENCE.web,
          issuer: 'someone-else',
          claims: await webClaims(),
        })}`,
      }),
    ],
    [
      'a token signed by another key under the same kid',
      async () => {
        const { kid } = await loadJwtKeys(api.master.db, api.fernet);
        const { privateKey } = generateKeyPairSync('ed25519');
        const forged = await signJwt(await webClaims(), {
          privateKey,
          kid,
          issuer: 'signet-master',
          audience: AUDIENCE.web,
          subject: 'alice',
        });
        return { authorization: `Bearer ${forged}` };
      },
    ],
    [
      'a service token (wrong audience)',
      async () => ({ authorization: `Bearer ${await serviceToken(api, 'svc-on-web', 'read-write')}` }),
    ],
    [
      'a service-audience token naming the admin',
      async () => ({
        authorization: `Bearer ${await masterJwt(api, { subject: 'alice', audience: AUDIENCE.service, claims: await webClaims() })}`,
      }),
    ],
  ];

  it.each(refusals)(
    'refuses %s with 401 {code: 40100}, and a write changes nothing',
    async (_name, headers) => {
      const h = await headers();
      const me = await send(api, 'GET', '/v1/web/me', h);
      expect(me.status).toBe(401);
      expect(me.json).toStrictEqual(V1_UNAUTHORIZED);
      const before = await storeSnapshot(api);
      const write = await send(api, 'POST', '/v1/web/users', h, JSON.stringify({ email: 'refused@x.io' }));
      expect(write.status).toBe(401);
      expect(write.json).toStrictEqual(V1_UNAUTHORIZED);
      expect(await storeSnapshot(api)).toStrictEqual(before);
    },
  );

  it("refuses the token of a deleted admin, and of a new admin under the deleted one's name", async () => {
    const bob = { name: 'bob', password: 'bob password 1234' };
    const bobToken = await loginAdmin(api, bob);
    expect((await bearerRequest(api, bobToken, 'GET', '/v1/web/me')).status).toBe(200);
    expect(await deleteAdmin(api.master.db, 'bob')).toBe(true);
    const refused = await bearerRequest(api, bobToken, 'GET', '/v1/web/me');
    expect(refused.status).toBe(401);
    expect(refused.json).toStrictEqual(V1_UNAUTHORIZED);
    await createAdmin(api.master.db, 'bob', 'another password 99');
    expect((await bearerRequest(api, bobToken, 'GET', '/v1/web/me')).json).toStrictEqual(V1_UNAUTHORIZED);
    const before = await storeSnapshot(api);
    expect((await bearerRequest(api, bobToken, 'DELETE', '/v1/web/nodes/1')).json).toStrictEqual(
      V1_UNAUTHORIZED,
    );
    expect(await storeSnapshot(api)).toStrictEqual(before);
  });

  it('answers an unknown route 401 before authentication and 404 after', async () => {
    expect((await send(api, 'GET', '/v1/web/nothing-here', {})).json).toStrictEqual(V1_UNAUTHORIZED);
    const res = await bearerRequest(api, token, 'GET', '/v1/web/nothing-here');
    expect(res.status).toBe(404);
    expect(res.json).toStrictEqual({ code: 40400, message: 'not found', data: null });
  });
});
