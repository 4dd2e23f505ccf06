// Node secret rotation on the master, over real HTTP on SQLite and PostgreSQL: what cannot be
// rotated is refused in the envelope and changes nothing; a rotation the worker hears of at once
// (its Worker API) or with its next heartbeat (the sealed secret in the answer), both secrets
// accepted until the grace period ends, then only the new one; a rotation made by another process
// on the same store is seen at once; registering again ends a rotation; re-encryption covers the
// rotation's secrets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fernet, generateFernetKey, openNodeSecret, signXray } from '@signet/auth';
import {
  beginSecretRotation,
  confirmSecretRotation,
  createNode,
  getApiSecret,
  issueRegistrationToken,
  openDatabase,
  readNodeSecrets,
  reEncryptStore,
} from '../src/store/index.js';
import {
  type ApiMaster,
  internalRequest,
  newKey,
  READ_ONLY_MESSAGE,
  startApiMaster,
  storeSnapshot,
  temFail,
  temRequest,
  v1Fail,
} from './support/api-master.js';
import { fakeNode, startWorkerApi, type WorkerApiApp } from './support/worker-api-app.js';
import { storeKinds } from './support/store.js';

const now = () => Math.floor(Date.now() / 1000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(storeKinds())('node secret rotation on %s', (kind) => {
  let api: ApiMaster;
  let worker: WorkerApiApp | undefined;
  let counter = 0;
  beforeAll(async () => {
    api = await startApiMaster(kind, { heartbeatLimit: 1000 });
  });
  afterAll(async () => {
    await worker?.app.close();
    await api?.close();
  });

  /** A registered node; its worker reports `workerUrl` (none: the master cannot call it). */
  async function registeredNode(workerUrl?: string) {
    const { nodeId, token } = await createNode(api.master.db, api.fernet, `rot-${kind}-${++counter}`);
    const registered = await register(token, workerUrl);
    expect(registered.status).toBe(200);
    return { nodeId, secret: ((await registered.json()) as { api_secret: string }).api_secret };
  }
  const register = (token: string, workerUrl?: string) =>
    fetch(`${api.url}/api/node/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, timestamp: now(), ...(workerUrl ? { worker_url: workerUrl } : {}) }),
    });
  /** A heartbeat signed with `secret` (X-Signature), or carrying it in the body as seed 000 does. */
  async function heartbeat(nodeId: number, secret: string, how: 'signed' | 'body' = 'signed') {
    const fields = { node_id: nodeId, timestamp: now(), nonce: String(Math.random()) };
    const body = JSON.stringify(how === 'body' ? { ...fields, api_secret: secret } : fields);
    const response = await fetch(`${api.url}/api/node/heartbeat`, {
      method: 'POST',
      headers: how === 'body' ? { 'content-type': 'application/json' } : signXray(body, secret).headers,
      body,
    });
    return { status: response.status, json: (await response.json()) as Record<string, any> };
  }
  const rotate = (nodeId: number | string, body: unknown = { graceSeconds: 60 }) =>
    internalRequest(api, 'POST', `/v1/internal/nodes/${nodeId}/rotate-secret`, JSON.stringify(body));
  const view = async (nodeId: number) =>
    (await internalRequest(api, 'GET', `/v1/internal/nodes/${nodeId}`)).json.data;

  it('refuses what cannot be rotated with its code and message, changing nothing', async () => {
    const { nodeId: unregistered } = await createNode(api.master.db, api.fernet, `rot-${kind}-new`);
    const { nodeId } = await registeredNode();
    const reader = await newKey(api, 'L3.SHA256', 'read-only');
    const before = await storeSnapshot(api);
    const cases: [() => ReturnType<typeof rotate>, number, unknown][] = [
      [() => rotate(999_999), 404, v1Fail(40400, 'node not found')],
      [() => rotate(unregistered), 409, v1Fail(40900, expect.stringContaining('has not registered yet'))],
      [
        () => rotate(nodeId, { graceSeconds: 0 }),
        400,
        v1Fail(40000, expect.stringContaining('graceSeconds')),
      ],
      [
        () => rotate(nodeId, { graceSeconds: 604_801 }),
        400,
        v1Fail(40000, expect.stringContaining('graceSeconds')),
      ],
      [
        () => rotate(nodeId, { graceSeconds: '60' }),
        400,
        v1Fail(40000, expect.stringContaining('graceSeconds')),
      ],
      [() => rotate(nodeId, { grace: 60 }), 400, v1Fail(40000, expect.any(String))],
      [
        () => temRequest(api, reader, 'POST', `/api/v1/nodes/${nodeId}/rotate-secret`, '{"graceSeconds":60}'),
        403,
        temFail(40300, READ_ONLY_MESSAGE),
      ],
    ];
    for (const [call, status, envelope] of cases) {
      const refused = await call();
      expect(refused.status, refused.text).toBe(status);
      expect(refused.json).toEqual(envelope);
    }
    expect(await storeSnapshot(api)).toEqual(before);

    // A second rotation while the first is pending: refused, and the pending one kept.
    const first = await rotate(nodeId);
    expect(first.json.data.delivered).toBe(false);
    const pending = await storeSnapshot(api);
    const second = await rotate(nodeId);
    expect(second.status).toBe(409);
    expect(second.json).toEqual(v1Fail(40900, expect.stringContaining('still pending')));
    expect(await storeSnapshot(api)).toEqual(pending);
  });

  it('hands an unreachable worker the sealed secret in its heartbeat answer; the old one works until the grace ends, also after a rotation by another process', async () => {
    const { nodeId, secret: old } = await registeredNode();
    // A second node rotated by another process on the same store, while this master caches its
    // old secret: after the grace the old one is refused here too.
    const elsewhere = await registeredNode();
    expect((await heartbeat(elsewhere.nodeId, elsewhere.secret)).status).toBe(200);
    const other = await openDatabase(api.location.options);
    const elsewhereNext = await beginSecretRotation(other, api.fernet, elsewhere.nodeId, { graceMs: 10_000 });
    await confirmSecretRotation(other, elsewhere.nodeId, elsewhereNext);
    await other.destroy();

    const rotated = await rotate(nodeId, { graceSeconds: 10 });
    expect(rotated.status, rotated.text).toBe(200);
    expect(rotated.json.data).toEqual({
      delivered: false,
      pendingSince: expect.any(String),
      previousValidUntil: null,
      message: expect.stringContaining('next heartbeat'),
    });
    const next = (await readNodeSecrets(api.master.db, api.fernet, nodeId))!.next!.secret;
    expect(rotated.text).not.toContain(next);
    expect((await view(nodeId)).secretRotation).toEqual({
      pendingSince: rotated.json.data.pendingSince,
      previousValidUntil: null,
    });

    // Pending: the old secret still signs, and its answers carry the new one, sealed under it.
    const answered = await heartbeat(nodeId, old);
    expect(answered.status).toBe(200);
    expect(answered.json).toEqual({
      status: 'ok',
      rotate_secret: { sealed: expect.any(String), grace_seconds: 10 },
    });
    expect(JSON.stringify(answered.json)).not.toContain(next);
    expect(openNodeSecret(answered.json.rotate_secret.sealed, old)).toBe(next);
    expect(await getApiSecret(api.master.db, api.fernet, nodeId)).toBe(old); // not confirmed yet

    // The first request signed with the new secret confirms it; answers carry nothing more.
    expect(await heartbeat(nodeId, next)).toEqual({ status: 200, json: { status: 'ok' } });
    expect(await getApiSecret(api.master.db, api.fernet, nodeId)).toBe(next);
    const confirmed = (await view(nodeId)).secretRotation;
    expect(confirmed.pendingSince).toBeNull();
    expect(Date.parse(confirmed.previousValidUntil)).toBeGreaterThan(Date.now());
    expect(await heartbeat(nodeId, old)).toEqual({ status: 200, json: { status: 'ok' } });
    expect((await heartbeat(nodeId, old, 'body')).status).toBe(200); // seed 000's body secret too

    await sleep(10_200);
    expect((await heartbeat(elsewhere.nodeId, elsewhere.secret)).status).toBe(401);
    expect((await heartbeat(elsewhere.nodeId, elsewhereNext.secret)).status).toBe(200);
    expect(await heartbeat(nodeId, old)).toEqual({ status: 401, json: { error: '认证失败' } });
    expect((await heartbeat(nodeId, old, 'body')).status).toBe(401);
    expect((await heartbeat(nodeId, next)).status).toBe(200);
    expect((await heartbeat(nodeId, next, 'body')).status).toBe(200);
    expect((await view(nodeId)).secretRotation).toEqual({ pendingSince: null, previousValidUntil: null });
  }, 30_000);

  it("delivers the sealed secret over the node's Worker API at once, signed with the old one", async () => {
    const { nodeId: id, token } = await createNode(api.master.db, api.fernet, `rot-${kind}-push`);
    // The worker learns its secret from the registration answer; the fake worker verifies with it.
    let held = '';
    const node = fakeNode('');
    worker = await startWorkerApi({ ...node, secret: () => held });
    const registered = await register(token, worker.url);
    held = ((await registered.json()) as { api_secret: string }).api_secret;

    const rotated = await rotate(id, { graceSeconds: 90 });
    expect(rotated.status, rotated.text).toBe(200);
    expect(rotated.json.data).toMatchObject({ delivered: true, pendingSince: null });
    expect(rotated.json.data.message).toContain('the worker has the new secret');
    const until = Date.parse(rotated.json.data.previousValidUntil);
    expect(until - Date.now()).toBeGreaterThan(80_000);
    const [call] = node.calls;
    const [, sealed, grace] = call!.split(' ');
    expect(grace).toBe('90');
    const current = await getApiSecret(api.master.db, api.fernet, id);
    expect(current).not.toBe(held);
    expect(openNodeSecret(sealed!, held)).toBe(current);
    expect(rotated.text).not.toContain(current!);
    expect(rotated.text).not.toContain(held);
  });

  it('sees at once a rotation made by another process on the same store', async () => {
    const { nodeId, secret: old } = await registeredNode();
    expect((await heartbeat(nodeId, old)).status).toBe(200); // the master caches the node's secrets
    const other = await openDatabase(api.location.options);
    try {
      const next = await beginSecretRotation(other, api.fernet, nodeId, { graceMs: 60_000 });
      await confirmSecretRotation(other, nodeId, next);
      expect((await heartbeat(nodeId, next.secret)).status).toBe(200);
      expect((await heartbeat(nodeId, old)).status).toBe(200); // within the grace period
      expect((await heartbeat(nodeId, 'never-a-secret-of-this-node')).status).toBe(401);
    } finally {
      await other.destroy();
    }
  });

  it('ends a rotation when the node registers again', async () => {
    const { nodeId } = await registeredNode();
    await rotate(nodeId);
    const next = (await readNodeSecrets(api.master.db, api.fernet, nodeId))!.next!.secret;
    const again = await register((await issueRegistrationToken(api.master.db, nodeId)).token);
    const fresh = ((await again.json()) as { api_secret: string }).api_secret;
    expect((await view(nodeId)).secretRotation).toEqual({ pendingSince: null, previousValidUntil: null });
    expect((await heartbeat(nodeId, next)).status).toBe(401);
    expect((await heartbeat(nodeId, fresh)).status).toBe(200);
  });

  // Last: it moves the whole store under a key this master does not have.
  it("re-encrypts a rotation's secrets with the rest", async () => {
    const { nodeId } = await registeredNode();
    const next = await beginSecretRotation(api.master.db, api.fernet, nodeId, { graceMs: 60_000 });
    await confirmSecretRotation(api.master.db, nodeId, next);
    await beginSecretRotation(api.master.db, api.fernet, nodeId, { graceMs: 60_000 });
    const before = await readNodeSecrets(api.master.db, api.fernet, nodeId);
    const newest = generateFernetKey();
    const counts = await reEncryptStore(api.master.db, new Fernet([newest, api.encryptionKey]));
    expect(counts.nodeSecrets).toBeGreaterThanOrEqual(3);
    const after = await readNodeSecrets(api.master.db, new Fernet(newest), nodeId);
    expect({ ...after, next: { ...after!.next, token: '' } }).toEqual({
      ...before,
      next: { ...before!.next, token: '' },
    });
  });
});
