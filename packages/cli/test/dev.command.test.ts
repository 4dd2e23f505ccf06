// `signet dev`: one command starts the playground (signer, master with the console, worker driving
// the real v2ray core) as real child processes, keeps all its state in one data directory, reuses
// it on the next start, prints the admin's password once and no key ever, and leaves no process
// behind, whether it is stopped or one of its services dies.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Fernet } from '@signet/auth';
import { eventually, freePort, tempDir } from '../../worker/test/support/core-fixtures.js';
import { SIGNET_BIN } from './run-cli.js';

const data = tempDir('dev');
const started: ChildProcess[] = [];
const seen = new Set<number>();

interface Dev {
  readonly child: ChildProcess;
  readonly console: string;
  readonly password: string;
  output(): string;
  /** Every process below dev (services and the core), as the kernel lists them now. */
  tree(): { pid: number; cmd: string }[];
  exit(): Promise<number | null>;
}

/** `pid`'s descendants, from /proc. */
function descendants(pid: number): { pid: number; cmd: string }[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found: { pid: number; cmd: string }[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const [child, ppid] of parent) {
      if (ppid !== current) continue;
      queue.push(child);
      try {
        found.push({ pid: child, cmd: readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0').join(' ') });
      } catch {
        // gone meanwhile
      }
    }
  }
  return found;
}

/** Alive and not a zombie waiting to be reaped. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function startDev(): Promise<Dev> {
  const [port, signerPort, workerPort] = await Promise.all([freePort(), freePort(), freePort()]);
  // The test's DATABASE_URL and REDIS_URL stay set: dev must keep to its data dir all the same.
  const env = { ...process.env, ENCRYPTION_KEY: '', API_SECRET_KEY: '', SIGNET_ADMIN_PASSWORD: '' };
  const args = ['dev', '--data', data.path, '--port', String(port)];
  const child = spawn(
    process.execPath,
    [SIGNET_BIN, ...args, '--signer-port', String(signerPort), '--worker-port', String(workerPort)],
    { env },
  );
  started.push(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const banner = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner:\n${output}`)), 90_000);
    const check = () => {
      const match = /Console {3}(\S+)\n {2}Admin {5}admin\n {2}Password {2}(\S+)\n/.exec(output);
      if (match && output.includes('  Stop  ')) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => reject(new Error(`dev exited with ${code}:\n${output}`)));
  });
  const dev: Dev = {
    child,
    console: banner[1]!,
    password: banner[2]!,
    output: () => output,
    tree: () => descendants(child.pid!),
    exit: () => exited,
  };
  for (const { pid } of dev.tree()) seen.add(pid);
  return dev;
}

async function web(url: string, path: string, token?: string, body?: unknown) {
  const response = await fetch(new URL(path, url), {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

async function login(dev: Dev): Promise<string> {
  const answer = await web(dev.console, '/v1/public/auth/login', undefined, {
    name: 'admin',
    password: dev.password,
  });
  expect(answer.status, answer.text).toBe(200);
  return (JSON.parse(answer.text) as { data: { token: string } }).data.token;
}

interface NodeView {
  id: number;
  name: string;
  online: boolean;
  coreStatus: string | null;
  coreFlavour: string | null;
  workerUrl: string | null;
}

async function nodes(dev: Dev, token: string): Promise<NodeView[]> {
  return (JSON.parse((await web(dev.console, '/v1/web/nodes', token)).text) as { data: NodeView[] }).data;
}

const file = (name: string) => readFileSync(join(data.path, name), 'utf8').trim();

/** Every secret the playground holds: keys, demo credentials, the node's api_secret. */
function secrets(): string[] {
  const key = file('encryption.key');
  const fernet = new Fernet([key]);
  const open = (token: string) => Buffer.from(fernet.decrypt(token)).toString('utf8');
  const credentials = JSON.parse(file('signer/credentials.json')) as {
    accounts: { secrets: Record<string, string> }[];
  };
  const worker = JSON.parse(file('worker/worker.json')) as { api_secret: string };
  return [
    key,
    file('api-secret.key'),
    open(worker.api_secret),
    ...credentials.accounts.flatMap((a) => Object.values(a.secrets).map(open)),
  ];
}

/** The password once, on its banner line; no key, credential or node secret anywhere. */
function expectNoLeaks(dev: Dev) {
  const output = dev.output();
  expect(output.split(dev.password).length - 1).toBe(1);
  expect(output).toContain(`  Password  ${dev.password}\n`);
  const held = secrets();
  expect(held.length).toBeGreaterThanOrEqual(5);
  for (const secret of held) {
    expect(secret.length).toBeGreaterThanOrEqual(16);
    expect(output).not.toContain(secret);
  }
}

async function expectAllGone(processes: { pid: number }[]) {
  expect(processes.length).toBeGreaterThanOrEqual(4);
  await eventually(() => (processes.every((p) => !running(p.pid)) ? true : undefined), 20_000);
}

afterAll(async () => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  for (const pid of seen) if (running(pid)) process.kill(pid, 'SIGKILL');
  data.remove();
});

describe('signet dev', () => {
  let firstPassword = '';
  let nodeId = 0;
  const kept: Record<string, string> = {};

  it('starts signer, master and worker with its core; the console lists the node and the signer', async () => {
    const dev = await startDev();
    firstPassword = dev.password;
    expect(dev.console).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const output = dev.output();
    expect(output).toMatch(/^\[signer\] signet signer listening on http:\/\/127\.0\.0\.1:\d+ .*data-ts/m);
    expect(output).toMatch(/^\[master\] signet master listening on .*\(store: SQLite\)/m);
    expect(output).toMatch(/^\[worker\] signet worker: registered as node \d+$/m);
    expect(output).toContain(`Data      ${data.path} `);

    // Kept in the data dir, owner only.
    for (const name of ['encryption.key', 'api-secret.key', 'admin-password', 'master.db']) {
      expect(statSync(join(data.path, name)).mode & 0o077, name).toBe(0);
      kept[name] = name === 'master.db' ? '' : file(name);
    }
    expect(kept['admin-password']).toBe(dev.password);

    const processes = dev.tree();
    const commands = processes.map((p) => p.cmd);
    for (const service of ['signer', 'master', 'worker'])
      expect(commands.filter((c) => c.includes(`${SIGNET_BIN} ${service} `))).toHaveLength(1);
    expect(commands.some((c) => /\bv2ray\b/.test(c))).toBe(true);
    expect(commands.find((c) => c.includes(`${SIGNET_BIN} master `))).toContain(
      '--signer-url http://127.0.0.1:',
    );

    const token = await login(dev);
    const local = await eventually(async () => {
      const found = (await nodes(dev, token)).find((n) => n.name === 'local');
      return found?.online && found.coreStatus === 'running' ? found : undefined;
    }, 30_000);
    expect(local).toMatchObject({
      coreFlavour: 'v2ray',
      workerUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:/),
    });
    nodeId = local.id;

    const signer = JSON.parse((await web(dev.console, '/v1/web/signer', token)).text) as {
      data: {
        configured: boolean;
        reachable: boolean;
        accounts: { platformId: string; accountId: string }[];
      };
    };
    expect(signer.data).toMatchObject({ configured: true, reachable: true });
    expect(signer.data.accounts.map((a) => `${a.platformId}/${a.accountId}`).sort()).toEqual([
      'binance/binance-demo',
      'pacifica/pacifica-demo',
    ]);

    const page = await web(dev.console, '/');
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/^text\/html/);
    expect(page.text).toMatch(/<!doctype html>/i);

    dev.child.kill('SIGTERM');
    expect(await dev.exit()).toBe(0);
    expect(dev.output()).toContain('[dev] SIGTERM: stopping the playground');
    await expectAllGone(processes);
    expectNoLeaks(dev);
  }, 180_000);

  it('reuses everything on the next start; a service that dies stops the rest, exit 1', async () => {
    const dev = await startDev();
    expect(dev.password).toBe(firstPassword);
    for (const name of ['encryption.key', 'api-secret.key', 'admin-password'])
      expect(file(name), name).toBe(kept[name]);
    expect(dev.output()).not.toContain('registered as node'); // the worker's credentials were kept
    expect(dev.output()).not.toContain('generated one into');

    const token = await login(dev);
    const listed = await eventually(async () => {
      const all = await nodes(dev, token);
      return all.every((n) => n.online) ? all : undefined;
    }, 30_000);
    expect(listed.map((n) => [n.id, n.name])).toEqual([[nodeId, 'local']]);

    const processes = dev.tree();
    const signer = processes.find((p) => p.cmd.includes(`${SIGNET_BIN} signer `))!;
    process.kill(signer.pid, 'SIGKILL');
    expect(await dev.exit()).toBe(1);
    expect(dev.output()).toContain('[dev] signer was killed by SIGKILL; stopping the others');
    await expectAllGone(processes);
    expectNoLeaks(dev);
  }, 180_000);
});
