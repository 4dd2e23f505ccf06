import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Fixtures for the core tests: real v2ray processes on random loopback ports, cleaned up after. */

export const V2RAY = '/usr/bin/v2ray';

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `signet-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A port that was free a moment ago (the kernel's choice), on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Holds a port with a plain listener (no SO_REUSEPORT, so a core cannot bind it too). */
export function holdPort(port: number): Promise<{ close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () =>
      resolve({ close: () => new Promise<void>((done) => server.close(() => done())) }),
    );
  });
}

export interface VlessClientSpec {
  readonly id: string;
  readonly email: string;
  readonly level?: number;
}

/** A node config as the master would send it: one VLESS inbound over plain TCP, freedom out. */
export function nodeConfig(options: { vlessPort: number; clients: VlessClientSpec[]; tag?: string }): string {
  return JSON.stringify({
    log: { loglevel: 'warning' },
    // Close a connection as soon as one side is done (the default waits 1-2 s): faster tests.
    policy: { levels: { '0': { uplinkOnly: 0, downlinkOnly: 0 } } },
    inbounds: [
      {
        tag: options.tag ?? 'vless-in',
        listen: '127.0.0.1',
        port: options.vlessPort,
        protocol: 'vless',
        settings: { clients: options.clients, decryption: 'none' },
        streamSettings: { network: 'tcp' },
      },
    ],
    outbounds: [{ protocol: 'freedom', tag: 'direct' }],
  });
}

/** A second v2ray acting as the user's client: SOCKS on loopback, VLESS to the node. */
export function clientConfig(options: { socksPort: number; serverPort: number; id: string }): string {
  return JSON.stringify({
    log: { loglevel: 'warning' },
    policy: { levels: { '0': { uplinkOnly: 0, downlinkOnly: 0 } } },
    inbounds: [
      {
        tag: 'socks-in',
        listen: '127.0.0.1',
        port: options.socksPort,
        protocol: 'socks',
        settings: { auth: 'noauth', udp: false },
      },
    ],
    outbounds: [
      {
        protocol: 'vless',
        settings: {
          vnext: [
            {
              address: '127.0.0.1',
              port: options.serverPort,
              users: [{ id: options.id, encryption: 'none' }],
            },
          ],
        },
        streamSettings: { network: 'tcp' },
      },
    ],
  });
}

/** Processes started by a test file; `killAll()` in afterAll. */
export class ProcessPool {
  readonly #procs = new Set<ChildProcess>();

  /** Starts `v2ray -config FILE` and waits until `port` accepts connections. */
  async startV2ray(dir: string, config: string, port: number): Promise<ChildProcess> {
    const file = join(dir, `client-${randomUUID()}.json`);
    writeFileSync(file, config);
    const proc = spawn(V2RAY, ['-config', file], { stdio: 'ignore' });
    this.#procs.add(proc);
    proc.once('exit', () => this.#procs.delete(proc));
    await waitForPort(port, 5_000);
    return proc;
  }

  /** Adopts a process started elsewhere so that it is killed at the end. */
  track(proc: ChildProcess): ChildProcess {
    this.#procs.add(proc);
    proc.once('exit', () => this.#procs.delete(proc));
    return proc;
  }

  async killAll(): Promise<void> {
    await Promise.all(
      [...this.#procs].map(async (proc) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return;
        const exited = new Promise((resolve) => proc.once('exit', resolve));
        proc.kill('SIGKILL');
        await Promise.race([exited, sleep(2_000)]);
      }),
    );
  }
}

export async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`port ${port} did not open within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Polls `check` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}

export interface ServedConnection {
  /** Bytes the server read from and wrote to this TCP connection, once it closed. */
  readonly closed: Promise<{ bytesRead: number; bytesWritten: number }>;
}

/** An HTTP server on loopback that answers every request with `bodyBytes` bytes and counts per socket. */
export async function countingHttpServer(bodyBytes: number): Promise<{
  port: number;
  connections: ServedConnection[];
  close(): Promise<void>;
}> {
  const body = Buffer.alloc(bodyBytes, 'x');
  const connections: ServedConnection[] = [];
  const server = createHttpServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
      response.end(body);
    });
  });
  server.on('connection', (socket: Socket) => {
    connections.push({
      closed: new Promise((resolve) =>
        socket.once('close', () =>
          resolve({ bytesRead: socket.bytesRead, bytesWritten: socket.bytesWritten }),
        ),
      ),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return {
    port: address.port,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A minimal SOCKS5 client (no auth, CONNECT to an IPv4 address): the socket once the proxy said yes. */
export function socksConnect(socksPort: number, target: { host: string; port: number }, timeoutMs = 5_000) {
  return new Promise<{ socket: Socket; early: Buffer }>((resolve, reject) => {
    const socket = connect(socksPort, '127.0.0.1');
    const timer = setTimeout(() => fail(new Error('socks handshake timed out')), timeoutMs);
    let stage: 'greeting' | 'connect' = 'greeting';
    let pending = Buffer.alloc(0);
    function fail(error: Error) {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    }
    function onData(chunk: Buffer) {
      pending = Buffer.concat([pending, chunk]);
      if (stage === 'greeting') {
        if (pending.length < 2) return;
        if (pending[0] !== 5 || pending[1] !== 0) return fail(new Error('socks: no acceptable auth'));
        pending = pending.subarray(2);
        stage = 'connect';
        const port = Buffer.alloc(2);
        port.writeUInt16BE(target.port);
        socket.write(Buffer.concat([Buffer.from([5, 1, 0, 1, ...target.host.split('.').map(Number)]), port]));
      }
      if (pending.length < 10) return;
      if (pending[1] !== 0) return fail(new Error(`socks: connect refused (${pending[1]})`));
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', fail);
      socket.off('close', onClose);
      resolve({ socket, early: pending.subarray(10) });
    }
    function onClose() {
      fail(new Error('socks: closed during the handshake'));
    }
    socket.once('connect', () => socket.write(Buffer.from([5, 1, 0])));
    socket.on('data', onData);
    socket.on('error', fail);
    socket.on('close', onClose);
  });
}

/** Sends `request` through the proxy and resolves with everything received until the far end closes. */
export async function socksExchange(
  socksPort: number,
  target: { host: string; port: number },
  request: Buffer,
  timeoutMs = 5_000,
): Promise<Buffer> {
  const { socket, early } = await socksConnect(socksPort, target, timeoutMs);
  return new Promise((resolve, reject) => {
    const received: Buffer[] = early.length > 0 ? [early] : [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('socks exchange timed out'));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.once('error', () => undefined);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(received));
    });
    socket.write(request);
  });
}

/** A TCP server on loopback that echoes every byte back. */
export async function echoServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Writes `data` and resolves with the next `data.length` bytes that come back (an echo). */
export function roundTrip(socket: Socket, data: Buffer, timeoutMs = 3_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const done = (error?: Error) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      if (error) reject(error);
      else resolve(Buffer.concat(chunks));
    };
    const timer = setTimeout(() => done(new Error('no echo in time')), timeoutMs);
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (length >= data.length) done();
    };
    const onClose = () => done(new Error('closed before the echo'));
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.write(data);
  });
}

/** An HTTP/1.1 GET with `Connection: close`, so one request is one TCP connection. */
export function httpGet(port: number, path = '/'): Buffer {
  return Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
}

/** The pid of the core a worker with this data directory runs, from its pid file (absent while it restarts). */
export function workerCorePid(workerData: string): number | undefined {
  try {
    return Number(readFileSync(join(workerData, 'core', 'core.pid'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** The core runs in its own process group: make sure none outlives a test, whatever happened. */
export function killLeftoverCore(workerData: string): void {
  const leftover = workerCorePid(workerData);
  if (leftover === undefined) return;
  try {
    process.kill(leftover, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * `signet worker` as the end-to-end tests run it: the real v2ray core, a heartbeat and a read of
 * the core's counters every second, then whatever the test adds.
 */
export function workerArgs(options: {
  master: string;
  data: string;
  apiPort: number;
  port?: number;
  token?: string | undefined;
  advertise?: string;
  extra?: readonly string[];
}): string[] {
  return [
    'worker',
    '--master',
    options.master,
    ...(options.token === undefined ? [] : ['--token', options.token]),
    '--port',
    String(options.port ?? 0),
    ...(options.advertise === undefined ? [] : ['--advertise', options.advertise]),
    '--data',
    options.data,
    '--core',
    V2RAY,
    '--core-api-port',
    String(options.apiPort),
    '--heartbeat-interval',
    '1',
    '--stats-interval',
    '1',
    ...(options.extra ?? []),
  ];
}
