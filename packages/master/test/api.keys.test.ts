// Access-key management through /v1/web and /api/v1: the SK is shown once (at creation and
// rotation) and never again; disable, enable, rotate, delete; L0 creation only when enabled; each
// admin (and each admin's keys) manages only that admin's keys.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiMaster,
  bearerRequest,
  type Key,
  loginAdmin,
  newKey,
  startApiMaster,
  storeSnapshot,
  TEM_UNAUTHORIZED,
  temFail,
  temRequest,
  unixTime,
  v1Fail,
} from './support/api-master.js';
import { storeKinds } from './support/store.js';

const BOB = { name: 'bob', password: 'bob password 1234' };
const AK = /^[0-9a-f]{16}$/;
const SK = /^[0-9a-f]{32}$/;
const L0_REFUSED = 'L0 keys are disabled on this server: choose an L3 algorithm';

const keyView = (fields: Record<string, unknown>) => ({
  accessKey: expect.stringMatching(AK),
  algorithm: 'L3.SHA256',
  scope: 'read-only',
  owner: 'alice',
  description: '',
  enabled: true,
  createdAt: expect.any(String),
  lastUsedAt: null,
  useCount: 0,
  rotatedAt: null,
  ...fields,
});

describe.each(storeKinds())('access keys on %s', (kind) => {
  let api: ApiMaster;
  let alice: string;
  let bob: string;
  const web = (token: string, method: string, path: string, body?: string) =>
    bearerRequest(api, token, method, `/v1/web${path}`, body);
  let n = 0;
  const tem = (key: Key, method: string, path: string, body?: string) =>
    temRequest(api, key, method, `/api/v1${path}`, body, { timestamp: unixTime(-(n++ % 250)) });
  /** Every response text seen, to prove an SK appears only where it is issued. */
  const seen: { where: string; text: string }[] = [];

  beforeAll(async () => {
    api = await startApiMaster(kind);
    alice = await loginAdmin(api);
    bob = await loginAdmin(api, BOB);
  });
  afterAll(() => api?.close());

  let created: Key & { json: any };

  it('creates a key: AK 16 hex, SK 32 hex, shown in this answer only', async () => {
    const res = await web(
      alice,
      'POST',
      '/keys',
      JSON.stringify({ algorithm: 'L3.HMAC-SHA256', scope: 'read-write', description: 'ci' }),
    );
    expect(res.status, res.text).toBe(200);
    expect(res.json).toStrictEqual({
      code: 20000,
      message: '',
      data: {
        ...keyView({ algorithm: 'L3.HMAC-SHA256', scope: 'read-write', description: 'ci' }),
        secretKey: expect.stringMatching(SK),
      },
    });
    const { accessKey, secretKey } = res.json.data;
    created = { accessKey, secretKey, algorithm: 'L3.HMAC-SHA256', json: res.json.data };
    // defaults: L3.SHA256, read-only
    const plain = await web(alice, 'POST', '/keys', '{}');
    expect(plain.json.data).toStrictEqual({ ...keyView({}), secretKey: expect.stringMatching(SK) });
    expect(plain.json.data.secretKey).not.toBe(secretKey);
  });

  it('the new key works on /api/v1 and its use is counted; listing never shows a secret', async () => {
    const me = await tem(created, 'GET', '/me');
    expect(me.json).toStrictEqual({
      Data: { kind: 'access-key', name: created.accessKey, canWrite: true },
      Success: true,
    });
    const list = await web(alice, 'GET', '/keys');
    seen.push({ where: 'web list', text: list.text });
    const mine = (list.json.data as any[]).find((k) => k.accessKey === created.accessKey);
    const { secretKey: _secret, ...view } = created.json;
    expect(mine).toStrictEqual({ ...view, useCount: 1, lastUsedAt: expect.any(String) });
    for (const k of list.json.data as object[]) expect(Object.keys(k)).not.toContain('secretKey');
    const viaKey = await tem(created, 'GET', '/keys');
    seen.push({ where: 'tem list', text: viaKey.text });
    expect(viaKey.json.Success).toBe(true);
    expect((viaKey.json.Data as any[]).map((k) => k.owner)).toStrictEqual(['alice', 'alice']);
    for (const text of [list.text, viaKey.text]) {
      expect(text).not.toContain(created.secretKey);
      expect(text).not.toContain('secretKey');
    }
  });

  it('disables, enables, rotates and deletes', async () => {
    const disabled = await web(alice, 'POST', `/keys/${created.accessKey}/disable`);
    seen.push({ where: 'disable', text: disabled.text });
    expect(disabled.json).toMatchObject({
      code: 20000,
      data: { accessKey: created.accessKey, enabled: false },
    });
    expect(disabled.json.data).not.toHaveProperty('secretKey');
    expect((await tem(created, 'GET', '/me')).json).toStrictEqual(TEM_UNAUTHORIZED);
    const enabled = await web(alice, 'POST', `/keys/${created.accessKey}/enable`);
    seen.push({ where: 'enable', text: enabled.text });
    expect(enabled.json.data.enabled).toBe(true);
    expect((await tem(created, 'GET', '/me')).status).toBe(200);

    const rotated = await web(alice, 'POST', `/keys/${created.accessKey}/rotate`);
    expect(rotated.json).toStrictEqual({
      code: 20000,
      message: '',
      data: {
        ...keyView({ algorithm: 'L3.HMAC-SHA256', scope: 'read-write', description: 'ci' }),
        accessKey: created.accessKey,
        createdAt: created.json.createdAt,
        useCount: 3,
        lastUsedAt: expect.any(String),
        rotatedAt: expect.any(String),
        secretKey: expect.stringMatching(SK),
      },
    });
    const newSecret = rotated.json.data.secretKey as string;
    expect(newSecret).not.toBe(created.secretKey);
    expect((await tem(created, 'GET', '/me')).json).toStrictEqual(TEM_UNAUTHORIZED);
    const fresh = { ...created, secretKey: newSecret };
    expect((await tem(fresh, 'GET', '/me')).status).toBe(200);
    // the key rotates itself through /api/v1 too
    const self = await tem(fresh, 'POST', `/keys/${created.accessKey}/rotate`);
    expect(self.json).toMatchObject({
      Success: true,
      Data: { accessKey: created.accessKey, secretKey: expect.stringMatching(SK) },
    });
    const latest = { ...created, secretKey: self.json.Data.secretKey as string };
    expect((await tem(fresh, 'GET', '/me')).json).toStrictEqual(TEM_UNAUTHORIZED);

    expect((await tem(latest, 'DELETE', `/keys/${created.accessKey}`)).json).toStrictEqual({
      Data: { message: 'access key deleted' },
      Success: true,
    });
    expect((await tem(latest, 'GET', '/me')).json).toStrictEqual(TEM_UNAUTHORIZED);
    for (const verb of ['disable', 'enable', 'rotate']) {
      const res = await web(alice, 'POST', `/keys/${created.accessKey}/${verb}`);
      expect(res.status).toBe(404);
      expect(res.json).toStrictEqual(v1Fail(40400, 'access key not found'));
    }
    expect((await web(alice, 'DELETE', `/keys/${created.accessKey}`)).json).toStrictEqual(
      v1Fail(40400, 'access key not found'),
    );
  });

  it('refuses L0 keys, unknown algorithms and bad input with 400, changing nothing', async () => {
    const before = await storeSnapshot(api, { ignoreKeyUsage: true });
    for (const algorithm of ['L0.PLAINTEXT', 'L0.PAINTEXT', 'L0.SHA1']) {
      const res = await web(alice, 'POST', '/keys', JSON.stringify({ algorithm }));
      expect(res.status).toBe(400);
      expect(res.json).toStrictEqual(v1Fail(40000, L0_REFUSED));
    }
    const unknown = await web(alice, 'POST', '/keys', JSON.stringify({ algorithm: 'L9.MD5' }));
    expect(unknown.json).toStrictEqual(
      v1Fail(40000, 'algorithm: expected one of L0.PLAINTEXT, L0.SHA1, L3.SHA1, L3.SHA256, L3.HMAC-SHA256'),
    );
    for (const body of ['{"scope":"admin"}', '{"description":5}', '[]', 'nope']) {
      const res = await web(alice, 'POST', '/keys', body);
      expect(res.status, body).toBe(400);
      expect(res.json.code, body).toBe(40000);
      expect(res.json.message, body).not.toBe('');
    }
    const operatorKey = await newKey(api, 'L3.SHA256', 'read-write');
    const before2 = await storeSnapshot(api, { ignoreKeyUsage: true });
    // Access keys make no keys at all (a leaked one must not mint others): no such route for them.
    const viaTem = await tem(operatorKey, 'POST', '/keys', JSON.stringify({ algorithm: 'L3.SHA256' }));
    expect(viaTem.json).toStrictEqual(temFail(40400, 'not found'));
    expect((await web(alice, 'POST', '/keys/not-a-key/disable')).status).toBe(400);
    expect(await storeSnapshot(api, { ignoreKeyUsage: true })).toStrictEqual(before2);
    expect(before2).not.toStrictEqual(before); // only the operator key was added
    const algorithms = await web(alice, 'GET', '/keys/algorithms');
    expect(algorithms.json).toStrictEqual({
      code: 20000,
      message: '',
      data: [
        { name: 'L0.PLAINTEXT', level: 0, allowed: false },
        { name: 'L0.SHA1', level: 0, allowed: false },
        { name: 'L3.SHA1', level: 3, allowed: true },
        { name: 'L3.SHA256', level: 3, allowed: true },
        { name: 'L3.HMAC-SHA256', level: 3, allowed: true },
      ],
    });
  });

  it("an admin sees and manages only their own keys; an admin's key sees its owner's, changes only itself", async () => {
    const a = (await web(alice, 'POST', '/keys', '{"scope":"read-write"}')).json.data;
    const b = (await web(bob, 'POST', '/keys', '{"scope":"read-write"}')).json.data;
    expect(b.owner).toBe('bob');
    const aliceList = (await web(alice, 'GET', '/keys')).json.data as any[];
    const bobList = (await web(bob, 'GET', '/keys')).json.data as any[];
    expect(aliceList.every((k) => k.owner === 'alice')).toBe(true);
    expect(bobList.map((k) => k.accessKey)).toStrictEqual([b.accessKey]);
    expect(aliceList.map((k) => k.accessKey)).not.toContain(b.accessKey);

    const before = await storeSnapshot(api, { ignoreKeyUsage: true });
    for (const [method, path] of [
      ['POST', `/keys/${b.accessKey}/disable`],
      ['POST', `/keys/${b.accessKey}/rotate`],
      ['DELETE', `/keys/${b.accessKey}`],
    ] as const) {
      expect((await web(alice, method, path)).json).toStrictEqual(v1Fail(40400, 'access key not found'));
      const aliceKey = { accessKey: a.accessKey, secretKey: a.secretKey, algorithm: a.algorithm };
      expect((await tem(aliceKey, method, path)).json).toStrictEqual(temFail(40400, 'access key not found'));
    }
    expect(await storeSnapshot(api, { ignoreKeyUsage: true })).toStrictEqual(before);
    const aliceKey = { accessKey: a.accessKey, secretKey: a.secretKey, algorithm: a.algorithm };
    const viaAlice = (await tem(aliceKey, 'GET', '/keys')).json.Data as any[];
    expect(viaAlice.map((k) => k.accessKey)).not.toContain(b.accessKey);
    expect(viaAlice.every((k) => k.owner === 'alice')).toBe(true);
    // an access key makes no keys (a leaked one could mint others) and changes none but itself
    const sibling = (await web(alice, 'POST', '/keys', '{}')).json.data;
    const beforeKeyWrites = await storeSnapshot(api, { ignoreKeyUsage: true });
    expect((await tem(aliceKey, 'POST', '/keys', '{}')).json).toStrictEqual(temFail(40400, 'not found'));
    for (const [method, path] of [
      ['POST', `/keys/${sibling.accessKey}/disable`],
      ['POST', `/keys/${sibling.accessKey}/rotate`],
      ['DELETE', `/keys/${sibling.accessKey}`],
    ] as const) {
      expect((await tem(aliceKey, method, path)).json).toStrictEqual(temFail(40400, 'access key not found'));
    }
    expect(await storeSnapshot(api, { ignoreKeyUsage: true })).toStrictEqual(beforeKeyWrites);
    const rotatedSelf = await tem(aliceKey, 'POST', `/keys/${a.accessKey}/rotate`);
    expect(rotatedSelf.json.Data.secretKey).toMatch(SK);
    // the operator's keys are not an admin's
    const op = await newKey(api, 'L3.SHA256', 'read-write');
    expect(((await web(alice, 'GET', '/keys')).json.data as any[]).map((k) => k.accessKey)).not.toContain(
      op.accessKey,
    );
    expect(((await tem(op, 'GET', '/keys')).json.Data as any[]).every((k) => k.owner === 'operator')).toBe(
      true,
    );
  });

  it('no later answer repeats a secret key', () => {
    expect(seen.length).toBeGreaterThan(3);
    for (const { where, text } of seen) expect(text, where).not.toMatch(/secretKey/);
  });
});

describe.each(storeKinds())('access keys with L0 enabled on %s', (kind) => {
  let api: ApiMaster;
  beforeAll(async () => {
    api = await startApiMaster(kind, { allowLevel0Keys: true });
  });
  afterAll(() => api?.close());

  it('creates L0 keys and lists L0 as allowed', async () => {
    const alice = await loginAdmin(api);
    const res = await bearerRequest(api, alice, 'POST', '/v1/web/keys', '{"algorithm":"L0.PAINTEXT"}');
    expect(res.json).toStrictEqual({
      code: 20000,
      message: '',
      data: { ...keyView({ algorithm: 'L0.PLAINTEXT' }), secretKey: expect.stringMatching(SK) },
    });
    const key = {
      accessKey: res.json.data.accessKey,
      secretKey: res.json.data.secretKey,
      algorithm: 'L0.PLAINTEXT',
    };
    expect((await temRequest(api, key, 'GET', '/api/v1/me')).json.Data.name).toBe(key.accessKey);
    const algorithms = (await bearerRequest(api, alice, 'GET', '/v1/web/keys/algorithms')).json.data as any[];
    expect(algorithms.every((a) => a.allowed === true)).toBe(true);
  });
});
