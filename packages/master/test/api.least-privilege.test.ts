// What each caller may not do or see: read-only callers get no credentials (users' VLESS ids,
// hidden paths, core configs); access keys mint no keys; services and keys read no audit log; a
// refused write leaves the key's last use as it was; ids out of range are 404, never a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createNode, getAccessKey } from '../src/index.js';
import {
  type ApiMaster,
  bearerRequest,
  internalRequest,
  loginAdmin,
  newKey,
  READ_ONLY_MESSAGE,
  serviceToken,
  startApiMaster,
  temFail,
  temRequest,
  v1Fail,
} from './support/api-master.js';
import { storeKinds } from './support/store.js';

describe.each(storeKinds())('least privilege on %s', (kind) => {
  let api: ApiMaster;
  let nodeId = 0;
  beforeAll(async () => {
    api = await startApiMaster(kind);
    nodeId = (await createNode(api.master.db, api.fernet, 'edge-1')).nodeId;
    await addUser(api.master.db, 'dana@example.com');
  });
  afterAll(() => api?.close());

  it('a read-only key sees users and nodes without their credentials, and no core config', async () => {
    const reader = await newKey(api, 'L3.SHA256', 'read-only');
    const writer = await newKey(api, 'L3.SHA256', 'read-write');
    const users = await temRequest(api, reader, 'GET', '/api/v1/users');
    expect(users.json.Data).toEqual([expect.objectContaining({ email: 'dana@example.com', id: null })]);
    const user = await temRequest(api, reader, 'GET', '/api/v1/users/dana@example.com');
    expect(user.json.Data.id).toBeNull();
    const nodes = await temRequest(api, reader, 'GET', '/api/v1/nodes');
    expect(nodes.json.Data).toEqual([expect.objectContaining({ name: 'edge-1', hiddenPath: null })]);
    expect(await temRequest(api, reader, 'GET', `/api/v1/nodes/${nodeId}/config`)).toMatchObject({
      status: 403,
      json: temFail(40300, READ_ONLY_MESSAGE),
    });
    // the same routes show them to a caller that may write
    const full = await temRequest(api, writer, 'GET', '/api/v1/users/dana@example.com');
    expect(full.json.Data.id).toMatch(/^[0-9a-f-]{36}$/);
    const node = await temRequest(api, writer, 'GET', `/api/v1/nodes/${nodeId}`);
    expect(node.json.Data.hiddenPath).toMatch(/^[0-9a-f]{24}$/);
    expect((await temRequest(api, writer, 'GET', `/api/v1/nodes/${nodeId}/config`)).status).toBe(200);
  });

  it("a user's share links carry its VLESS id: refused to read-only keys and services", async () => {
    const reader = await newKey(api, 'L3.SHA256', 'read-only');
    expect(await temRequest(api, reader, 'GET', '/api/v1/users/dana@example.com/links')).toMatchObject({
      status: 403,
      json: temFail(40300, READ_ONLY_MESSAGE),
    });
    const token = await serviceToken(api, 'link-reader', 'read-only');
    expect(
      (await bearerRequest(api, token, 'GET', '/v1/service/users/dana@example.com/links')).json,
    ).toStrictEqual(v1Fail(40300, READ_ONLY_MESSAGE));
    const writer = await newKey(api, 'L3.SHA256', 'read-write');
    expect((await temRequest(api, writer, 'GET', '/api/v1/users/dana@example.com/links')).status).toBe(200);
  });

  it('a read-only service sees no credentials either', async () => {
    const token = await serviceToken(api, 'dashboards', 'read-only');
    const users = await bearerRequest(api, token, 'GET', '/v1/service/users');
    expect(users.json.data).toEqual([expect.objectContaining({ id: null })]);
    expect((await bearerRequest(api, token, 'GET', `/v1/service/nodes/${nodeId}/config`)).json).toStrictEqual(
      v1Fail(40300, READ_ONLY_MESSAGE),
    );
  });

  it('the audit log is read by admins and internal callers only', async () => {
    const key = await newKey(api, 'L3.SHA256', 'read-write');
    expect(await temRequest(api, key, 'GET', '/api/v1/audit')).toMatchObject({
      status: 404,
      json: temFail(40400, 'not found'),
    });
    const token = await serviceToken(api, 'ops', 'read-write');
    expect((await bearerRequest(api, token, 'GET', '/v1/service/audit')).status).toBe(404);
    expect((await internalRequest(api, 'GET', '/v1/internal/audit')).json.code).toBe(20000);
    const admin = await loginAdmin(api, { name: 'auditor', password: 'auditor password 1' });
    expect((await bearerRequest(api, admin, 'GET', '/v1/web/audit')).json.code).toBe(20000);
  });

  it('internal callers have no key routes', async () => {
    for (const [method, path] of [
      ['GET', '/v1/internal/keys'],
      ['POST', '/v1/internal/keys'],
    ] as const) {
      const res = await internalRequest(api, method, path, method === 'POST' ? '{}' : undefined);
      expect(res.json, path).toStrictEqual(v1Fail(40400, 'not found'));
    }
  });

  it("a read-only key's refused write does not count as a use", async () => {
    const reader = await newKey(api, 'L3.SHA256', 'read-only');
    await temRequest(api, reader, 'GET', '/api/v1/cluster/summary');
    const used = await getAccessKey(api.master.db, reader.accessKey);
    expect(used!.useCount).toBe(1);
    const refused = await temRequest(api, reader, 'POST', '/api/v1/users', '{"email":"x@example.com"}');
    expect(refused.status).toBe(403);
    expect(await getAccessKey(api.master.db, reader.accessKey)).toStrictEqual(used);
  });

  it('ids past what the stores hold are 404 (nodes) or 400 (audit paging), never a 500', async () => {
    const key = await newKey(api, 'L3.SHA256', 'read-write');
    for (const id of ['2147483648', '9999999999999999']) {
      expect(await temRequest(api, key, 'GET', `/api/v1/nodes/${id}`), id).toMatchObject({
        status: 404,
        json: temFail(40400, 'node not found'),
      });
      expect((await temRequest(api, key, 'DELETE', `/api/v1/nodes/${id}`)).status).toBe(404);
    }
    const admin = await loginAdmin(api, { name: 'pager', password: 'pager password 12' });
    expect((await bearerRequest(api, admin, 'GET', '/v1/web/audit?before=2147483648')).json.code).toBe(20000);
    expect((await bearerRequest(api, admin, 'GET', '/v1/web/audit?before=9999999999999999')).status).toBe(
      400,
    );
  });

  it('targets the router cannot place are answered in the envelope they look like', async () => {
    const key = await newKey(api);
    expect(await temRequest(api, key, 'GET', '/API/v1/nodes')).toMatchObject({
      status: 404,
      json: temFail(40400, 'not found'),
    });
    expect((await internalRequest(api, 'GET', '/V1/internal/user/hello-world')).json).toStrictEqual(
      v1Fail(40400, 'not found'),
    );
  });
});
