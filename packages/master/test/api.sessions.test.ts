// Web sessions end: at logout (every session of the account issued before it) and when the
// password changes; a new login works at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setAdminPassword } from '../src/index.js';
import {
  ADMIN,
  type ApiMaster,
  bearerRequest,
  login,
  loginAdmin,
  startApiMaster,
  V1_UNAUTHORIZED,
} from './support/api-master.js';
import { storeKinds } from './support/store.js';

const secondLater = () => new Promise((resolve) => setTimeout(resolve, 1100));

describe.each(storeKinds())('web sessions on %s', (kind) => {
  let api: ApiMaster;
  beforeAll(async () => {
    api = await startApiMaster(kind);
    await loginAdmin(api); // creates alice
  });
  afterAll(() => api?.close());

  const me = (token: string) => bearerRequest(api, token, 'GET', '/v1/web/me');
  const freshToken = async (password = ADMIN.password) =>
    (await login(api, ADMIN.name, password)).json.data.token as string;

  it('logout ends every earlier session of the account, and a new login works at once', async () => {
    const laptop = await freshToken();
    const phone = await freshToken();
    await secondLater(); // tokens carry whole seconds: these two are from an earlier one
    const out = await bearerRequest(api, laptop, 'POST', '/v1/web/auth/logout');
    expect(out.json).toStrictEqual({ code: 20000, message: '', data: { message: 'signed out' } });
    for (const token of [laptop, phone]) expect((await me(token)).json).toStrictEqual(V1_UNAUTHORIZED);
    const again = await freshToken();
    expect((await me(again)).json.data).toStrictEqual({ kind: 'admin', name: 'alice', canWrite: true });
  });

  it('a password change ends the sessions issued before it', async () => {
    const old = await freshToken();
    await secondLater();
    await setAdminPassword(api.master.db, ADMIN.name, 'a brand new password');
    expect((await me(old)).json).toStrictEqual(V1_UNAUTHORIZED);
    const fresh = await freshToken('a brand new password');
    expect((await me(fresh)).status).toBe(200);
  });
});
