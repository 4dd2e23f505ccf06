// The whole cluster with real parts: `signet master`, `signet worker` driving the real v2ray core,
// a second v2ray as a user's VLESS client, and a local HTTP server as the destination. The bytes
// the destination served must reach the master for that user, exactly, through a killed core, a
// killed worker (its core left running) and heartbeats lost while the master is down.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Fernet, generateFernetKey } from '@signet/auth';
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

const key = generateFernetKey();
const env = { ENCRYPTION_KEY: key, DATABASE_URL: undefined, REDIS_URL: undefined };
const masterData = tempDir('signet-e2e-master-');
const workerData = tempDir('signet-e2e-worker-');
const clientDir = tempDir('signet-e2e-client-');
const pool = new ProcessPool();
let masterPort = 0;
let master: Service;
let worker: Service;
let destination: Awaited<ReturnType<typeof countingHttpServer>>;
let vlessPort = 0;
let socksPort = 0;
let apiPort = 0;
let token = '';
const expected = { up: 0n, down: 0n };

const startMaster = async () =>
  startService(
    [
      'master',
      '--port',
      String(masterPort),
      '--data',
      masterData.path,
      '--heartbeat-limit',
      '1000',
      '--config-limit',
      '1000',
      '--log-level',
      'warn',
    ],
    env,
  );
const startWorker = async (withToken: boolean) =>
  startService(
    workerArgs({
      master: `http://127.0.0.1:${masterPort}`,
      token: withToken ? token : undefined,
      data: workerData.path,
      apiPort,
      extra: ['--allow-loopback-destinations'], // the destination server is on loopback here
    }),
    env,
  );

const corePid = () => workerCorePid(workerData.path);

async function aliceAtMaster(): Promise<{ up: bigint; down: bigint } | undefined> {
  const result = runSignet(
    ['traffic', '--data', masterData.path, '--user', 'alice@example.com', '--json'],
    env,
  );
  if (result.status !== 0) return undefined;
  const [row] = JSON.parse(result.stdout) as { up: string; down: string }[];
  return row ? { up: BigInt(row.up), down: BigInt(row.down) } : { up: 0n, down: 0n };
}

/** Fetches `size` bytes through the user's client; the destination counts what crossed its socket. */
async function transfer(size: number): Promise<void> {
  const before = destination.connections.length;
  const request = Buffer.from(`GET /${size} HTTP/1.1\r\nHost: dest\r\nConnection: close\r\n\r\n`);
  const answer = await socksExchange(
    socksPort,
    { host: '127.0.0.1', port: destination.port },
    request,
    10_000,
  );
  expect(answer.length).toBeGreaterThan(size);
  const served = await destination.connections[before]!.closed;
  expected.up += BigInt(served.bytesRead);
  expected.down += BigInt(served.bytesWritten);
}

async function masterCountsEverything(): Promise<void> {
  const seen = await eventually(async () => {
    const counted = await aliceAtMaster();
    return counted && counted.down >= expected.down && counted.up >= expected.up ? counted : undefined;
  }, 30_000);
  expect(seen).toEqual(expected); // all of it, and nothing twice
}

beforeAll(async () => {
  [masterPort, vlessPort, socksPort, apiPort] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  destination = await countingHttpServer(200_000);
  master = await startMaster();
  const node = runSignet(
    [
      'node',
      'add',
      'e2e-node',
      '--data',
      masterData.path,
      '--vless-port',
      String(vlessPort),
      '--ws-port',
      String(await freePort()),
      '--json',
    ],
    env,
  );
  expect(node.status, node.stderr).toBe(0);
  token = (JSON.parse(node.stdout) as { token: string }).token;
  const user = runSignet(['user', 'add', 'alice@example.com', '--data', masterData.path, '--json'], env);
  const alice = JSON.parse(user.stdout) as { id: string };
  worker = await startWorker(true);
  await eventually(() => (worker.output().includes(': started') ? true : undefined), 30_000);
  await pool.startV2ray(
    clientDir.path,
    clientConfig({ socksPort, serverPort: vlessPort, id: alice.id }),
    socksPort,
  );
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  killLeftoverCore(workerData.path);
  await master?.stop();
  pool.killAll();
  await destination?.close();
  for (const dir of [masterData, workerData, clientDir]) dir.remove();
});

describe('cluster end to end, with the real v2ray core', () => {
  it('counts a user’s bytes at the master', async () => {
    await transfer(200_000);
    await masterCountsEverything();
  });

  it('counts correctly again after the core is killed (what was read before it died is kept)', async () => {
    await transfer(200_000);
    await masterCountsEverything(); // read before the crash: a crash loses what was never read
    const pid = corePid()!;
    process.kill(pid, 'SIGKILL');
    await eventually(() => {
      const now = corePid();
      return now !== undefined && now !== pid ? now : undefined;
    }, 30_000);
    await transfer(200_000);
    await masterCountsEverything();
  });

  it('loses nothing when the worker is killed and its core keeps serving', async () => {
    await worker.stop('SIGKILL');
    await transfer(150_000); // through the orphaned core: only the restarted worker can count it
    worker = await startWorker(false);
    await masterCountsEverything();
  });

  it('loses nothing while heartbeats fail, and counts nothing twice when they resume', async () => {
    await master.stop();
    await transfer(100_000);
    await new Promise((resolve) => setTimeout(resolve, 2500)); // heartbeats fail meanwhile
    master = await startMaster();
    await masterCountsEverything();
    await new Promise((resolve) => setTimeout(resolve, 2500)); // more heartbeats, same totals
    expect(await aliceAtMaster()).toEqual(expected);
  });

  it("the seed's Python restart example restarts the core through the Worker API, counters drained first", async () => {
    const stored = JSON.parse(readFileSync(join(workerData.path, 'worker.json'), 'utf8')) as {
      api_secret: string;
    };
    const secret = new TextDecoder().decode(new Fernet(key).decrypt(stored.api_secret));
    await transfer(120_000); // not yet read by the worker when the restart drains it
    const before = corePid();
    const script = fileURLToPath(new URL('./support/seed_restart.py', import.meta.url));
    const { stdout } = await promisify(execFile)('python3', [script, worker.url, secret]);
    expect(stdout.trim()).toBe("{'status': 'ok', 'message': 'Xray重启成功'}");
    expect(
      await eventually(() => (corePid() !== undefined && corePid() !== before ? true : undefined), 15_000),
    ).toBe(true);
    await masterCountsEverything();
    const health = await (await fetch(`${worker.url}/health`)).json();
    expect(health).toMatchObject({ status: 'ok', registered: true, xray_status: 'running' });
  });

  it('adds a user through the core API, without restarting it, and counts that user apart', async () => {
    const pid = corePid();
    const bob = JSON.parse(
      runSignet(['user', 'add', 'bob@example.com', '--data', masterData.path, '--json'], env).stdout,
    ) as { id: string };
    await eventually(() => (worker.output().includes(': users-updated') ? true : undefined), 30_000);
    expect(corePid()).toBe(pid);
    const bobSocks = await freePort();
    await pool.startV2ray(
      clientDir.path,
      clientConfig({ socksPort: bobSocks, serverPort: vlessPort, id: bob.id }),
      bobSocks,
    );
    const before = destination.connections.length;
    const answer = await socksExchange(
      bobSocks,
      { host: '127.0.0.1', port: destination.port },
      Buffer.from('GET /bob HTTP/1.1\r\nHost: d\r\nConnection: close\r\n\r\n'),
      10_000,
    );
    expect(answer.length).toBeGreaterThan(200_000);
    const served = await destination.connections[before]!.closed;
    const bobAtMaster = await eventually(() => {
      const result = runSignet(
        ['traffic', '--data', masterData.path, '--user', 'bob@example.com', '--json'],
        env,
      );
      const [row] = JSON.parse(result.stdout || '[]') as { up: string; down: string }[];
      return row && BigInt(row.down) >= BigInt(served.bytesWritten) ? row : undefined;
    }, 30_000);
    expect(bobAtMaster).toEqual({
      node: 'e2e-node',
      user: 'bob@example.com',
      up: String(served.bytesRead),
      down: String(served.bytesWritten),
    });
    expect(await aliceAtMaster()).toEqual(expected); // alice's count is untouched
  });

  // Last: the refused attempts are the user's uplink bytes too, which the exact checks above don't expect.
  it("never lets a user's traffic reach the core's API or the Worker API", async () => {
    const workerPort = Number(new URL(worker.url).port);
    for (const port of [apiPort, workerPort]) {
      const request = Buffer.from(`GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      const answer = await socksExchange(socksPort, { host: '127.0.0.1', port }, request, 10_000).catch(() =>
        Buffer.alloc(0),
      );
      expect(answer.length, `port ${port}`).toBe(0);
    }
    expect((await fetch(`${worker.url}/health`)).status).toBe(200); // it is there, just not through the tunnel
  });
});
