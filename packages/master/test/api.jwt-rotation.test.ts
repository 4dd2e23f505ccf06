// JWT signing keys rotated while the master runs, on SQLite and PostgreSQL: a key added by another
// process (`signet jwt rotate`) is accepted at the first token signed with it, which also makes the
// master sign with it; tokens of the key it replaced still verify; the JWKS lists both; a token
// naming a kid the store does not have is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProtectedHeader } from 'jose';
import { openDatabase, rotateJwtKey } from '../src/store/index.js';
import {
  type ApiMaster,
  bearerRequest,
  loginAdmin,
  serviceToken,
  startApiMaster,
  V1_UNAUTHORIZED,
} from './support/api-master.js';
import { storeKinds } from './support/store.js';

const kidOf = (token: string) => decodeProtectedHeader(token).kid;

describe.each(storeKinds())('JWT key rotation on %s', (kind) => {
  let api: ApiMaster;
  beforeAll(async () => {
    api = await startApiMaster(kind);
  });
  afterAll(() => api?.close());

  const jwks = async () =>
    (
      (await (await fetch(`${api.url}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] }
    ).keys.map((key) => key.kid);

  it('accepts a key rotated in by another process at once, and keeps accepting the one it replaced', async () => {
    const session = await loginAdmin(api);
    const first = kidOf(session);
    expect(await jwks()).toEqual([first]);

    // Another process on the same store (`signet jwt rotate`, `signet service token`).
    const other = await openDatabase(api.location.options);
    let second: string;
    try {
      second = await rotateJwtKey(other, api.fernet);
    } finally {
      await other.destroy();
    }
    expect(second).not.toBe(first);
    const service = await serviceToken(api, 'billing', 'read-only');
    expect(kidOf(service)).toBe(second);

    const byService = await bearerRequest(api, service, 'GET', '/v1/service/cluster/summary');
    expect(byService.status, byService.text).toBe(200);
    const bySession = await bearerRequest(api, session, 'GET', '/v1/web/cluster/summary');
    expect(bySession.status, bySession.text).toBe(200);
    expect((await jwks()).sort()).toEqual([first, second].sort());
    // Having read the new key, the master signs with it.
    const next = await loginAdmin(api, { name: 'bob', password: 'another long password' });
    expect(kidOf(next)).toBe(second);
  });

  it('refuses a token whose kid the store does not have, in the envelope', async () => {
    const session = await loginAdmin(api, { name: 'carol', password: 'a third long password' });
    const [header, payload, signature] = session.split('.');
    const forged = `${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(header!, 'base64url').toString()), kid: 'no-such-kid' })).toString('base64url')}.${payload}.${signature}`;
    const refused = await bearerRequest(api, forged, 'GET', '/v1/web/cluster/summary');
    expect(refused.status).toBe(401);
    expect(refused.json).toEqual(V1_UNAUTHORIZED);
  });
});
