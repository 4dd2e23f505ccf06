// POST /v1/public/auth/login: a web token for a right name and password; the same 401 for a wrong
// password and an unknown name; the account locked after 5 failures; each address rate limited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmin, getAdmin } from '../src/index.js';
import {
  ADMIN,
  type ApiMaster,
  auditRows,
  bearerRequest,
  login,
  startApiMaster,
  v1Fail,
} from './support/api-master.js';
import { storeKinds } from './support/store.js';

const INVALID = v1Fail(
  40100,
  'invalid name or password (5 wrong passwords in a row lock an account for 15 minutes; an operator can run `signet admin unlock NAME`)',
);

describe.each(storeKinds())('login on %s', (kind) => {
  let api: ApiMaster;
  beforeAll(async () => {
    api = await startApiMaster(kind);
    await createAdmin(api.master.db, ADMIN.name, ADMIN.password);
    await createAdmin(api.master.db, 'carol', 'carol password 1234');
  });
  afterAll(() => api?.close());

  it('gives a token usable on /v1/web', async () => {
    const res = await login(api, ADMIN.name, ADMIN.password);
    expect(res.status).toBe(200);
    expect(res.json).toStrictEqual({
      code: 20000,
      message: '',
      data: { token: expect.any(String), expiresAt: expect.any(String), name: 'alice' },
    });
    const seconds = (Date.parse(res.json.data.expiresAt) - Date.now()) / 1000;
    expect(seconds).toBeGreaterThan(3590);
    expect(seconds).toBeLessThanOrEqual(3600);
    const me = await bearerRequest(api, res.json.data.token, 'GET', '/v1/web/me');
    expect(me.json).toStrictEqual({
      code: 20000,
      message: '',
      data: { kind: 'admin', name: 'alice', canWrite: true },
    });
  });

  it('answers a wrong password and an unknown name with the same 401', async () => {
    const wrong = await login(api, ADMIN.name, 'not the password');
    expect(wrong.status).toBe(401);
    expect(wrong.json).toStrictEqual(INVALID);
    const unknown = await login(api, 'nobody', ADMIN.password);
    expect(unknown.status).toBe(401);
    expect(unknown.json).toStrictEqual(INVALID);
  });

  it('locks the account at the 5th failure, answering as any refusal; then even the right password is refused', async () => {
    for (let i = 1; i <= 4; i++) {
      const res = await login(api, 'carol', `wrong ${i}`);
      expect(res.status, `attempt ${i}`).toBe(401);
      expect(res.json).toStrictEqual(INVALID);
    }
    // The 5th failure locks the account, and a locked account answers as any refusal does: nobody
    // learns from the answer which names exist or are locked (the audit log and `admin list` say).
    const fifth = await login(api, 'carol', 'wrong 5');
    expect(fifth.status).toBe(401);
    expect(fifth.json).toStrictEqual(INVALID);
    const right = await login(api, 'carol', 'carol password 1234');
    expect(right.status).toBe(401);
    expect(right.json).toStrictEqual(INVALID);
    expect(right.text).not.toContain('carol password 1234');
    const carol = await getAdmin(api.master.db, 'carol');
    expect(carol!.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    const audited = (await auditRows(api)).filter((e) => e.action === 'auth.login' && e.actor === 'carol');
    expect(audited.map((e) => e.detail)).toContain('locked');
    // other accounts are not affected
    expect((await login(api, ADMIN.name, ADMIN.password)).status).toBe(200);
  });
});

describe.each(storeKinds())('login rate limit on %s', (kind) => {
  let api: ApiMaster;
  beforeAll(async () => {
    api = await startApiMaster(kind);
    await createAdmin(api.master.db, ADMIN.name, ADMIN.password);
  });
  afterAll(() => api?.close());

  it('answers the 11th attempt in a minute from one address 429 in the envelope', async () => {
    for (let i = 1; i <= 10; i++) {
      expect((await login(api, `guess${i}`, 'whatever password')).status, `attempt ${i}`).toBe(401);
    }
    const limited = await login(api, ADMIN.name, ADMIN.password);
    expect(limited.status).toBe(429);
    expect(limited.json).toStrictEqual(
      v1Fail(42900, expect.stringMatching(/^too many login attempts: at most 10 per /)),
    );
  });
});
