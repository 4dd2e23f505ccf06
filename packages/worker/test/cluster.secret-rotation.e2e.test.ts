// Rotating a node's api_secret while the node works, between real processes: `signet master`,
// `signet worker --tls-self-signed` on the real v2ray core (pinned HTTPS), heartbeats and config
// pulls every second, and the master calling the Worker API from several loops at once. Two
// rotations (one through /v1/internal, one by `signet node rotate-secret` in another process)
// happen under that load: no request fails, both secrets work during the grace period, and
// afterwards only the new one does, on both sides. A worker the master cannot reach gets its new
// secret in the answer to its next heartbeat.
import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fernet, generateFernetKey, signXray } from '@signet/auth';
import { WorkerClient, WorkerRefusedError } from '../../master/src/worker-client/index.js';
import { certificateFingerprint } from '@signet/server';
import { runSignetAsync, startService, type Service } from '../../master/test/support/process.js';
import {
  eventually,
  freePort,
  killLeftoverCore,
  tempDir,
  V2RAY,
  workerCorePid,
  workerArgs,
} from './support/core-fixtures.js';
import { internalCall } from './support/internal-api.js';

const INTERNAL_KEY = 'rotation-e2e-internal-key';
const ENCRYPTION_KEY = generateFernetKey();
const env = { ENCRYPTION_KEY, API_SECRET_KEY: INTERNAL_KEY, DATABASE_URL: undefined, REDIS_URL: undefined };
const HTTPS = /listening on (https:\/\/\S+)/;
const dirs: { path: string; remove(): void }[] = [];
const services: Service[] = [];
const dir = (prefix: string) => {
  const made = tempDir(prefix);
  dirs.push(made);
  return made.path;
};
const internal = (method: string, path: string, body?: unknown) =>
  internalCall(INTERNAL_KEY, master.url, method, path, body);

let master: Service;
const masterData = dir('signet-rotation-master-');

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  for (const d of dirs) {
    killLeftoverCore(d.path);
    d.remove();
  }
});

beforeAll(async () => {
  master = await startService(
    [
      'master',
      '--port',
      '0',
      '--data',
      masterData,
      '--heartbeat-limit',
      '1000',
      '--config-limit',
      '1000',
      '--api-limit',
      '100000',
    ],
    env,
  );
  services.push(master);
}, 60_000);

/** The secrets in the worker's worker.json, decrypted as the worker would. */
function storedSecrets(workerData: string): { current: string; previous: string | null } {
  const stored = JSON.parse(readFileSync(join(workerData, 'worker.json'), 'utf8')) as {
    api_secret: string;
    previous_api_secret?: string;
  };
  const fernet = new Fernet(ENCRYPTION_KEY);
  return {
    current: fernet.decryptText(stored.api_secret),
    previous: stored.previous_api_secret ? fernet.decryptText(stored.previous_api_secret) : null,
  };
}

/**
 * Adds a node and starts its worker; `advertisePort` overrides the port the master calls. The token
 * goes on the command line, or (`tokenInEnv`) in SIGNET_WORKER_TOKEN, out of the process list.
 */
async function startNode(name: string, advertisePort?: number, tokenInEnv = false) {
  const workerData = dir(`signet-rotation-${name}-`);
  const [workerPort, apiPort] = await Promise.all([freePort(), freePort()]);
  const settings = { port: await freePort(), ws_port: await freePort() };
  const added = await internal('POST', '/nodes', { name, settings });
  expect(added.status, JSON.stringify(added.json)).toBe(200);
  const nodeId = added.json.data.node.id as number;
  const worker = await startService(
    workerArgs({
      master: master.url,
      token: tokenInEnv ? undefined : added.json.data.token,
      port: workerPort,
      advertise: `https://127.0.0.1:${advertisePort ?? workerPort}`,
      data: workerData,
      apiPort,
      extra: ['--tls-self-signed'],
    }),
    tokenInEnv ? { ...env, SIGNET_WORKER_TOKEN: added.json.data.token } : env,
    HTTPS,
  );
  services.push(worker);
  const view = () => internal('GET', `/nodes/${nodeId}`).then((r) => r.json.data);
  await eventually(async () => {
    const node = await view();
    return node?.online && node.coreStatus === 'running' ? node : undefined;
  }, 30_000);
  const fingerprint = certificateFingerprint(readFileSync(join(workerData, 'worker-tls.crt')));
  return { nodeId, worker, workerData, workerPort, view, fingerprint };
}

/** Whether a process with this pid exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A heartbeat to the master signed with `secret`, as a worker would send it: its HTTP status. */
async function heartbeatWith(nodeId: number, secret: string): Promise<number> {
  const body = JSON.stringify({
    node_id: nodeId,
    timestamp: Math.floor(Date.now() / 1000),
    core_status: 'running',
  });
  const response = await fetch(`${master.url}/api/node/heartbeat`, {
    method: 'POST',
    headers: signXray(body, secret).headers,
    body,
  });
  if (response.status === 400) throw new Error(`heartbeat refused as malformed: ${await response.text()}`);
  return response.status;
}

/** A Worker API call signed with `secret` (the master's role): 200, or the worker's refusal status. */
async function workerCallWith(node: { workerPort: number; fingerprint: string }, secret: string) {
  const client = new WorkerClient({
    baseUrl: `https://127.0.0.1:${node.workerPort}`,
    secret,
    fingerprint: node.fingerprint,
  });
  try {
    await client.stats();
    return 200;
  } catch (error) {
    if (error instanceof WorkerRefusedError) return error.status;
    throw error;
  }
}

describe('rotating a node secret under load', () => {
  it('fails no request while the secret changes twice, and then only the newest secret works', async () => {
    const node = await startNode('rotating');
    const first = storedSecrets(node.workerData).current;
    const logLengthBefore = node.worker.output().length;

    // The load: master -> worker calls from four loops (each signed with the node's secret by the
    // master), beside the worker's own heartbeats and config pulls every second.
    let running = true;
    const statuses: number[] = [];
    const loops = Array.from({ length: 4 }, async (_, i) => {
      while (running) {
        const path = i === 0 ? `/nodes/${node.nodeId}/logs?lines=5` : `/nodes/${node.nodeId}/stats`;
        const { status, json } = await internal('GET', path);
        statuses.push(status);
        if (status !== 200) throw new Error(`${path} answered ${status}: ${JSON.stringify(json)}`);
      }
    });
    const failed = Promise.all(loops).then(
      () => null,
      (error: Error) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const rotated = await internal('POST', `/nodes/${node.nodeId}/rotate-secret`, { graceSeconds: 10 });
    expect(rotated.status, JSON.stringify(rotated.json)).toBe(200);
    expect(rotated.json.data).toMatchObject({ delivered: true, pendingSince: null });
    expect(Date.parse(rotated.json.data.previousValidUntil)).toBeGreaterThan(Date.now());
    expect(JSON.stringify(rotated.json)).not.toContain(storedSecrets(node.workerData).current);
    const second = storedSecrets(node.workerData);
    expect(second.current).not.toBe(first);
    expect(second.previous).toBe(first);
    // Both secrets work on both sides during the grace period.
    expect(await heartbeatWith(node.nodeId, first)).toBe(200);
    expect(await heartbeatWith(node.nodeId, second.current)).toBe(200);
    expect(await workerCallWith(node, first)).toBe(200);
    expect(await workerCallWith(node, second.current)).toBe(200);
    expect((await node.view()).secretRotation.previousValidUntil).toBe(rotated.json.data.previousValidUntil);

    // Again from another process, on the same store, while the master's cache holds the old set.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const cli = await runSignetAsync(
      ['node', 'rotate-secret', 'rotating', '--grace', '10s', '--data', masterData, '--json'],
      env,
    );
    expect(cli.status, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({
      nodeId: node.nodeId,
      delivered: true,
      pendingSince: null,
    });
    const third = storedSecrets(node.workerData);
    expect(third.previous).toBe(second.current);

    // Past both grace periods, still under load.
    await new Promise((resolve) => setTimeout(resolve, 10_500));
    running = false;
    expect(await failed).toBeNull();
    expect(statuses.length).toBeGreaterThan(40);
    expect(statuses.every((status) => status === 200)).toBe(true);
    const log = node.worker.output().slice(logLengthBefore);
    expect(log).not.toMatch(
      /heartbeat failed|config pull failed|secret rotation from the heartbeat answer failed/,
    );
    expect(log.match(/api_secret rotated/g)).toHaveLength(2);

    // Now only the newest secret works, whichever side is asked.
    for (const old of [first, second.current]) {
      expect(await heartbeatWith(node.nodeId, old)).toBe(401);
      expect(await workerCallWith(node, old)).toBe(401);
    }
    expect(await heartbeatWith(node.nodeId, third.current)).toBe(200);
    expect(await workerCallWith(node, third.current)).toBe(200);
    expect((await node.view()).secretRotation).toEqual({ pendingSince: null, previousValidUntil: null });
    const audit = await internal('GET', '/audit?action=nodes.rotateSecret');
    expect(audit.status).toBe(200);
    expect(audit.json.data.events.map((e: { result: string }) => e.result)).toEqual(['ok', 'ok']);
  }, 90_000);

  it('hands the new secret to a worker the master cannot reach in the answer to its next heartbeat', async () => {
    const node = await startNode('unreachable', await freePort(), true); // advertises a port nobody serves
    const old = storedSecrets(node.workerData).current;
    const rotated = await internal('POST', `/nodes/${node.nodeId}/rotate-secret`, { graceSeconds: 60 });
    expect(rotated.status, JSON.stringify(rotated.json)).toBe(200);
    expect(rotated.json.data).toMatchObject({ delivered: false, previousValidUntil: null });
    expect(rotated.json.data.message).toContain('next heartbeat');
    expect(Date.parse(rotated.json.data.pendingSince)).toBeLessThanOrEqual(Date.now());
    // Pending: the master accepts both, and the worker still signs with the old one.
    expect(await heartbeatWith(node.nodeId, old)).toBe(200);

    const confirmed = await eventually(async () => {
      const view = await node.view();
      return view.secretRotation.pendingSince === null ? view : undefined;
    }, 15_000);
    expect(Date.parse(confirmed.secretRotation.previousValidUntil)).toBeGreaterThan(Date.now() + 50_000);
    const stored = storedSecrets(node.workerData);
    expect(stored.previous).toBe(old);
    expect(stored.current).not.toBe(old);
    expect(await heartbeatWith(node.nodeId, stored.current)).toBe(200);
    expect(await heartbeatWith(node.nodeId, old)).toBe(200); // in its grace period
    expect(node.worker.output()).toContain('api_secret rotated');

    // A start that is refused (worker.json readable by others) leaves no core running behind it.
    await node.worker.stop();
    chmodSync(join(node.workerData, 'worker.json'), 0o644);
    const refused = await runSignetAsync(
      ['worker', '--master', master.url, '--data', node.workerData, '--core', V2RAY, '--tls-self-signed'],
      env,
    );
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`chmod 600 ${join(node.workerData, 'worker.json')}`);
    const pid = workerCorePid(node.workerData);
    expect(pid === undefined || !alive(pid)).toBe(true);
    expect(node.worker.output()).not.toMatch(
      /heartbeat failed|config pull failed|secret rotation from the heartbeat answer failed/,
    );
  }, 60_000);
});
