// Pinned certificates between real processes, with real TLS handshakes on loopback: `signet worker
// --tls-self-signed` registers with the SHA-256 of its own certificate, the master pins it and
// reaches the Worker API (logs, stats, restart) over HTTPS only with that certificate; a worker
// whose certificate files were swapped (for a pair openssl made) is refused with 502 and flagged
// on the node until it registers again. The other way round, `--master-fingerprint` pins the
// master's self-signed certificate (openssl-made): right, the worker registers; wrong or absent,
// it stops with a message saying why.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, statSync } from 'node:fs';
import { connect, type TLSSocket } from 'node:tls';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFernetKey } from '@signet/auth';
import { makeCertificate } from '../../server/test/support/certificates.js';
import { runSignet, SIGNET_BIN, startService, type Service } from '../../master/test/support/process.js';
import {
  eventually,
  freePort,
  killLeftoverCore,
  tempDir,
  V2RAY,
  workerArgs,
} from './support/core-fixtures.js';
import { internalCall } from './support/internal-api.js';

const INTERNAL_KEY = 'tls-e2e-internal-key';
const env = {
  ENCRYPTION_KEY: generateFernetKey(),
  API_SECRET_KEY: INTERNAL_KEY,
  DATABASE_URL: undefined,
  REDIS_URL: undefined,
};
const HTTPS = /listening on (https:\/\/\S+)/;
const dirs: { path: string; remove(): void }[] = [];
const services: Service[] = [];
const dir = (prefix: string) => {
  const made = tempDir(prefix);
  dirs.push(made);
  return made.path;
};

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  for (const d of dirs) {
    killLeftoverCore(d.path);
    d.remove();
  }
});

/** openssl's SHA-256 fingerprint of a PEM certificate file, in Signet's form (lower-case hex). */
const opensslFingerprint = (certPath: string) =>
  execFileSync('openssl', ['x509', '-in', certPath, '-noout', '-fingerprint', '-sha256'], {
    encoding: 'utf8',
  })
    .trim()
    .split('=')[1]!
    .replaceAll(':', '')
    .toLowerCase();

/** The certificate a TLS server presents, whoever issued it (Signet's fingerprint form). */
function presentedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: TLSSocket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      resolve(socket.getPeerCertificate().fingerprint256.replaceAll(':', '').toLowerCase());
      socket.end();
    });
    socket.once('error', reject);
  });
}

const internal = (base: string, method: string, path: string, body?: unknown, ca?: string | string[]) =>
  internalCall(INTERNAL_KEY, base, method, path, body, ca);

describe('the master pins the self-signed certificate a worker registered with', () => {
  const masterData = dir('signet-tls-e2e-master-');
  const workerData = dir('signet-tls-e2e-worker-');
  let master: Service;
  let worker: Service;
  let nodeId = 0;
  let workerPort = 0;
  let apiPort = 0;

  const startWorker = async (token?: string) => {
    const started = await startService(
      workerArgs({
        master: master.url,
        token,
        port: workerPort,
        advertise: `https://127.0.0.1:${workerPort}`,
        data: workerData,
        apiPort,
        extra: ['--tls-self-signed'],
      }),
      env,
      HTTPS,
    );
    services.push(started);
    return started;
  };
  const storedPin = () => {
    const db = new Database(join(masterData, 'master.db'), { readonly: true });
    try {
      return (
        db.prepare('select tls_fingerprint from nodes where id = ?').get(nodeId) as {
          tls_fingerprint: string;
        }
      ).tls_fingerprint;
    } finally {
      db.close();
    }
  };
  const nodeView = async () => (await internal(master.url, 'GET', `/nodes/${nodeId}`)).json.data;

  beforeAll(async () => {
    [workerPort, apiPort] = await Promise.all([freePort(), freePort()]);
    master = await startService(
      ['master', '--port', '0', '--data', masterData, '--heartbeat-limit', '1000', '--config-limit', '1000'],
      env,
    );
    services.push(master);
  }, 60_000);

  it('a worker with --tls-self-signed registers, and the master stores the fingerprint of its certificate', async () => {
    const settings = { port: await freePort(), ws_port: await freePort() };
    const added = await internal(master.url, 'POST', '/nodes', { name: 'tls-node', settings });
    expect(added.status, JSON.stringify(added.json)).toBe(200);
    nodeId = added.json.data.node.id;
    expect(added.json.data.workerCommand).not.toContain('--master-fingerprint'); // a plain-HTTP master
    worker = await startWorker(added.json.data.token);

    const certPath = join(workerData, 'worker-tls.crt');
    for (const file of ['worker-tls.crt', 'worker-tls.key'])
      expect(statSync(join(workerData, file)).mode & 0o777).toBe(0o600);
    const fingerprint = opensslFingerprint(certPath);
    expect(worker.output()).toContain(
      `made a self-signed TLS certificate ${certPath} (SHA-256 ${fingerprint})`,
    );
    expect(await presentedFingerprint(workerPort)).toBe(fingerprint);
    const online = await eventually(async () => {
      const view = await nodeView();
      return view?.online && view.coreStatus === 'running' ? view : undefined;
    }, 30_000);
    expect(online).toMatchObject({
      workerUrl: `https://127.0.0.1:${workerPort}`,
      tlsPinned: true,
      tlsMismatchAt: null,
    });
    expect(storedPin()).toBe(fingerprint);
  }, 60_000);

  it("the master's calls to the worker (logs, stats, restart) go over the pinned HTTPS", async () => {
    const logs = await internal(master.url, 'GET', `/nodes/${nodeId}/logs?lines=20`);
    expect(logs.status, JSON.stringify(logs.json)).toBe(200);
    expect(typeof logs.json.data.logs).toBe('string');
    const stats = await internal(master.url, 'GET', `/nodes/${nodeId}/stats`);
    expect(stats.status, JSON.stringify(stats.json)).toBe(200);
    expect(stats.json.data.coreStatus).toBe('running');
    const restart = await internal(master.url, 'POST', `/nodes/${nodeId}/restart`);
    expect(restart.status, JSON.stringify(restart.json)).toBe(200);
    // The Worker API speaks nothing but TLS.
    await expect(fetch(`http://127.0.0.1:${workerPort}/health`)).rejects.toThrow();
  }, 60_000);

  it('a worker restarted with swapped certificate files is refused with 502 and the node is flagged', async () => {
    await worker.stop();
    killLeftoverCore(workerData);
    const swapped = makeCertificate('swapped', dir('signet-tls-e2e-swap-'));
    copyFileSync(swapped.certPath, join(workerData, 'worker-tls.crt'));
    copyFileSync(swapped.keyPath, join(workerData, 'worker-tls.key'));
    worker = await startWorker();
    expect(worker.output()).toContain('serving the self-signed TLS certificate');
    expect(await presentedFingerprint(workerPort)).toBe(opensslFingerprint(swapped.certPath));

    for (const [method, path] of [
      ['GET', `/nodes/${nodeId}/logs`],
      ['GET', `/nodes/${nodeId}/stats`],
      ['POST', `/nodes/${nodeId}/restart`],
    ] as const) {
      const refused = await internal(master.url, method, path);
      expect(refused.status).toBe(502);
      expect(refused.json.code).toBe(50200);
      expect(refused.json.message).toContain(
        `presented TLS certificate ${opensslFingerprint(swapped.certPath)}, not the one pinned at its registration`,
      );
    }
    const flagged = await nodeView();
    expect(flagged.tlsPinned).toBe(true);
    expect(Date.parse(flagged.tlsMismatchAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(storedPin()).not.toBe(opensslFingerprint(swapped.certPath)); // the pin stays what was registered
  }, 60_000);

  it('registering again (signet node token) replaces the pin and clears the flag', async () => {
    const issued = runSignet(['node', 'token', 'tls-node', '--data', masterData, '--json'], env);
    expect(issued.status, issued.stderr).toBe(0);
    await worker.stop();
    killLeftoverCore(workerData);
    rmSync(join(workerData, 'worker.json'));
    worker = await startWorker((JSON.parse(issued.stdout) as { token: string }).token);
    const fingerprint = opensslFingerprint(join(workerData, 'worker-tls.crt'));
    const view = await eventually(async () => {
      const v = await nodeView();
      return v?.tlsMismatchAt === null ? v : undefined;
    }, 30_000);
    expect(view.tlsPinned).toBe(true);
    expect(storedPin()).toBe(fingerprint);
    const logs = await eventually(async () => {
      const res = await internal(master.url, 'GET', `/nodes/${nodeId}/logs?lines=5`);
      return res.status === 200 ? res : undefined;
    }, 30_000);
    expect(logs.json.code).toBe(20000);
  }, 60_000);
});

describe("the worker pins the master's certificate with --master-fingerprint", () => {
  const masterData = dir('signet-tls-e2e-pinned-master-');
  const cert = makeCertificate('master', dir('signet-tls-e2e-master-cert-'));
  const fingerprint = opensslFingerprint(cert.certPath);
  let master: Service;

  /** Starts a worker on a fresh data dir with a fresh token for a new node; resolves how it went. */
  async function registerWith(pins: string[], timeoutMs = 30_000) {
    const added = await internal(master.url, 'POST', '/nodes', { name: `n${Date.now()}` }, cert.cert);
    expect(added.status, JSON.stringify(added.json)).toBe(200);
    const args = [
      SIGNET_BIN,
      'worker',
      '--master',
      master.url,
      '--token',
      added.json.data.token,
      ...pins.flatMap((pin) => ['--master-fingerprint', pin]),
      '--port',
      '0',
      '--data',
      dir('signet-tls-e2e-pinning-worker-'),
      '--core',
      V2RAY,
      '--core-api-port',
      String(await freePort()),
    ];
    return { added: added.json.data, args, timeoutMs };
  }

  beforeAll(async () => {
    master = await startService(
      ['master', '--port', '0', '--data', masterData, '--tls-cert', cert.certPath, '--tls-key', cert.keyPath],
      env,
      HTTPS,
    );
    services.push(master);
  }, 60_000);

  it('the worker line the master prints pins its certificate, and with it the worker registers over HTTPS', async () => {
    const { added, args } = await registerWith([]);
    expect(added.workerCommand).toBe(
      `signet worker --master ${master.url} --token ${added.token} --master-fingerprint ${fingerprint}`,
    );
    // As an operator types it: openssl's colon-separated upper case.
    const typed = cert.fingerprint256;
    const worker = await startService([...args.slice(1), '--master-fingerprint', typed], env);
    services.push(worker);
    await eventually(
      () => (worker.output().includes(`registered as node ${added.node.id}`) ? true : undefined),
      30_000,
    );
    const view = await internal(master.url, 'GET', `/nodes/${added.node.id}`, undefined, cert.cert);
    expect(view.json.data.registeredAt).not.toBeNull();
    expect(view.json.data.tlsPinned).toBe(false); // a plain loopback worker: nothing to pin
    await worker.stop();
  }, 60_000);

  it('with a wrong fingerprint the worker stops at once, saying the certificate was refused', async () => {
    const wrong = opensslFingerprint(makeCertificate('other').certPath);
    const { args } = await registerWith([wrong]);
    const run = spawnSync(process.execPath, args, {
      env: { ...process.env, ...env, DATABASE_URL: '', REDIS_URL: '' },
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr.toString()).toContain(
      `refused the master's certificate: 127.0.0.1:${new URL(master.url).port} presented certificate ${fingerprint}, not the pinned ${wrong}`,
    );
  }, 60_000);

  it('without a fingerprint, a self-signed master is not trusted: the worker says what to do', async () => {
    const { args } = await registerWith([]);
    const run = spawnSync(process.execPath, args, {
      env: { ...process.env, ...env, DATABASE_URL: '', REDIS_URL: '' },
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr.toString()).toContain(
      "the master's certificate is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT): give the worker --master-fingerprint",
    );
  }, 60_000);

  it('a renewed master certificate shows in the next printed line, and `signet node add --master-cert` prints it too', async () => {
    const renewed = makeCertificate('renewed', dir('signet-tls-e2e-renewed-'));
    copyFileSync(renewed.keyPath, cert.keyPath);
    copyFileSync(renewed.certPath, cert.certPath);
    const next = opensslFingerprint(renewed.certPath);
    const added = await eventually(async () => {
      const res = await internal(master.url, 'POST', '/nodes', { name: `r${Date.now()}` }, [
        cert.cert,
        renewed.cert,
      ]);
      return res.json.data?.workerCommand.endsWith(`--master-fingerprint ${next}`) ? res : undefined;
    }, 15_000);
    expect(added.status).toBe(200);
    const printed = runSignet(
      [
        'node',
        'add',
        'cli-node',
        '--data',
        masterData,
        '--master',
        master.url,
        '--master-cert',
        cert.certPath,
      ],
      env,
    );
    expect(printed.status, printed.stderr).toBe(0);
    expect(printed.stdout).toMatch(
      new RegExp(`signet worker --master ${master.url} --token \\S+ --master-fingerprint ${next}\\n`),
    );
    expect(readFileSync(cert.certPath, 'utf8')).toBe(renewed.cert);
  }, 60_000);
});
