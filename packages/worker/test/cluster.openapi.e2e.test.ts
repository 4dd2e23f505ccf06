// The cluster run through the AK/SK OpenAPI (seed 003), with real parts: `signet master`, a key
// made by `signet key create`, `signet worker` driving the real v2ray core, a second v2ray as the
// user's VLESS client. Everything an operator does here goes through /api/v1: add the node (its
// token and worker line come back), see it online, add a user and see their bytes counted, read
// the core's logs and stats, push the config, restart the core, disable the key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFernetKey, signInternal, signTem } from '@signet/auth';
import { runSignet, startService, type Service } from '../../master/test/support/process.js';
import {
  clientConfig,
  countingHttpServer,
  eventually,
  freePort,
  ProcessPool,
  socksExchange,
  tempDir,
  killLeftoverCore,
  workerCorePid,
  workerArgs,
} from './support/core-fixtures.js';

const INTERNAL_KEY = 'e2e-internal-key';
const env = {
  ENCRYPTION_KEY: generateFernetKey(),
  API_SECRET_KEY: INTERNAL_KEY,
  DATABASE_URL: undefined,
  REDIS_URL: undefined,
};
const masterData = tempDir('signet-openapi-master-');
const workerData = tempDir('signet-openapi-worker-');
const clientDir = tempDir('signet-openapi-client-');
const pool = new ProcessPool();
let master: Service;
let worker: Service | undefined;
let destination: Awaited<ReturnType<typeof countingHttpServer>>;
let key: { accessKey: string; secretKey: string };
let nodeId = 0;
let vlessPort = 0;
const EMAIL = 'bob@example.com';

/** A TEM-AUTH (L3.SHA256) signed call; the body is sent exactly as signed. */
async function api(method: string, path: string, body?: unknown) {
  const text = body === undefined ? undefined : JSON.stringify(body);
  const { headers } = signTem({
    ...key,
    algorithm: 'L3.SHA256',
    method,
    url: path,
    ...(text ? { body: text } : {}),
  });
  const response = await fetch(`${master.url}${path}`, {
    method,
    headers: { ...headers, ...(text ? { 'content-type': 'application/json' } : {}) },
    ...(text ? { body: text } : {}),
  });
  return { status: response.status, json: (await response.json()) as any };
}

const corePid = () => workerCorePid(workerData.path);

beforeAll(async () => {
  destination = await countingHttpServer(100_000);
  master = await startService(
    [
      'master',
      '--port',
      '0',
      '--data',
      masterData.path,
      '--heartbeat-limit',
      '1000',
      '--config-limit',
      '1000',
    ],
    env,
  );
  const created = runSignet(
    [
      'key',
      'create',
      '--algorithm',
      'L3.SHA256',
      '--scope',
      'read-write',
      '--data',
      masterData.path,
      '--json',
    ],
    env,
  );
  expect(created.status, created.stderr).toBe(0);
  key = JSON.parse(created.stdout) as { accessKey: string; secretKey: string };
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  killLeftoverCore(workerData.path);
  await master?.stop();
  pool.killAll();
  await destination?.close();
  for (const dir of [masterData, workerData, clientDir]) dir.remove();
});

describe('the cluster through the AK/SK OpenAPI, with the real v2ray core', () => {
  it('adds a node whose worker registers with the printed token and comes online', async () => {
    let wsPort: number, workerPort: number, apiPort: number;
    [vlessPort, wsPort, workerPort, apiPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const added = await api('POST', '/api/v1/nodes', {
      name: 'api-node',
      settings: { port: vlessPort, ws_port: wsPort },
    });
    expect(added.status, JSON.stringify(added.json)).toBe(200);
    expect(added.json.Success).toBe(true);
    const { token, workerCommand, node } = added.json.Data;
    expect(workerCommand).toBe(`signet worker --master ${master.url} --token ${token}`);
    expect(node.online).toBe(false);
    nodeId = node.id;

    worker = await startService(
      workerArgs({
        master: master.url,
        token,
        port: workerPort,
        advertise: `http://127.0.0.1:${workerPort}`,
        data: workerData.path,
        apiPort,
        extra: ['--allow-loopback-destinations'],
      }),
      env,
    );
    const online = await eventually(async () => {
      const { json } = await api('GET', `/api/v1/nodes/${nodeId}`);
      return json.Data?.online && json.Data.coreStatus === 'running' ? json.Data : undefined;
    }, 30_000);
    expect(online).toMatchObject({
      name: 'api-node',
      workerUrl: `http://127.0.0.1:${workerPort}`,
      coreFlavour: 'v2ray',
    });
    const summary = await api('GET', '/api/v1/cluster/summary');
    expect(summary.json.Data.nodes).toEqual({ total: 1, online: 1, offline: 0 });
  }, 60_000);

  it("adds a user through the API and counts the user's bytes exactly", async () => {
    const added = await api('POST', '/api/v1/users', { email: EMAIL });
    expect(added.status).toBe(200);
    const socksPort = await freePort();
    await pool.startV2ray(
      clientDir.path,
      clientConfig({
        socksPort,
        serverPort: vlessPort,
        id: added.json.Data.id,
      }),
      socksPort,
    );
    // The worker picks the user up at its next pull (every second here).
    const request = Buffer.from(`GET /100000 HTTP/1.1\r\nHost: dest\r\nConnection: close\r\n\r\n`);
    const answer = await eventually(async () => {
      // Until then the core refuses the unknown user and the exchange comes back short.
      const got = await socksExchange(
        socksPort,
        { host: '127.0.0.1', port: destination.port },
        request,
        5_000,
      ).catch(() => Buffer.alloc(0));
      return got.length > 100_000 ? got : undefined;
    }, 30_000);
    expect(answer.length).toBeGreaterThan(100_000);
    const served = await destination.connections.at(-1)!.closed;
    const traffic = await eventually(async () => {
      const { json } = await api('GET', `/api/v1/users/${EMAIL}/traffic`);
      return BigInt(json.Data.total.down) >= BigInt(served.bytesWritten) ? json.Data : undefined;
    }, 30_000);
    expect(traffic.total).toEqual({ up: String(served.bytesRead), down: String(served.bytesWritten) });
    expect(traffic.nodes).toEqual([
      { nodeId, up: String(served.bytesRead), down: String(served.bytesWritten) },
    ]);
  }, 90_000);

  it("reads the core's logs and live stats through the node's Worker API", async () => {
    const logs = await api('GET', `/api/v1/nodes/${nodeId}/logs?lines=20`);
    expect(logs.status).toBe(200);
    expect(typeof logs.json.Data.logs).toBe('string');
    expect(logs.json.Data.logs.split('\n').length).toBeLessThanOrEqual(20);
    const stats = await api('GET', `/api/v1/nodes/${nodeId}/stats`);
    expect(stats.json).toMatchObject({ Success: true, Data: { coreStatus: 'running' } });
    expect(stats.json.Data.uptime).toBeGreaterThanOrEqual(0);
  });

  it('pushes the config (validated by the real core) and restarts the core', async () => {
    const config = await api('GET', `/api/v1/nodes/${nodeId}/config`);
    const pushed = await api('POST', `/api/v1/nodes/${nodeId}/config`);
    expect(pushed.status, JSON.stringify(pushed.json)).toBe(200);
    expect(pushed.json.Data.configVersion).toBe(config.json.Data.configVersion);
    const before = corePid();
    expect(before).toBeGreaterThan(0); // a core is running, so a new pid means it was restarted
    const restarted = await api('POST', `/api/v1/nodes/${nodeId}/restart`);
    expect(restarted.status, JSON.stringify(restarted.json)).toBe(200);
    const after = await eventually(() => {
      const pid = corePid();
      return pid !== undefined && pid !== before ? pid : undefined;
    }, 30_000);
    expect(after).not.toBe(before);
  }, 60_000);

  it('a disabled key is refused from then on, and the audit log has what was done', async () => {
    // The audit log is for admins and internal callers: read it with seed 001's signature.
    const audit = await fetch(`${master.url}/v1/internal/audit?actor=${key.accessKey}&limit=500`, {
      headers: signInternal({ secret: INTERNAL_KEY }).headers,
    }).then((r) => r.json() as Promise<any>);
    const actions = (audit.data.events as { action: string; result: string }[])
      .filter((e) => e.result === 'ok')
      .map((e) => e.action);
    for (const action of [
      'nodes.create',
      'users.create',
      'nodes.pushConfig',
      'nodes.restart',
      'nodes.logs',
    ]) {
      expect(actions).toContain(action);
    }
    const disabled = await api('POST', `/api/v1/keys/${key.accessKey}/disable`);
    expect(disabled.json.Data.enabled).toBe(false);
    const refused = await api('GET', '/api/v1/nodes');
    expect(refused).toEqual({
      status: 401,
      json: { Data: null, Success: false, Code: 40100, Message: 'unauthorized' },
    });
  });
});
