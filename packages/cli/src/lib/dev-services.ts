import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/** This command's own bin file: `signet dev` runs the very subcommands an operator runs. */
export const SIGNET_BIN = fileURLToPath(new URL('../bin.js', import.meta.url));

/** How long a service may take to say "listening on URL", and to stop once asked. */
const READY_MS = 60_000;
const STOP_MS = 15_000;

/** A port on 127.0.0.1 that was free a moment ago (the kernel's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port')),
      );
    });
  });
}

/** Copies a stream line by line, each line prefixed with the service's name. */
function prefixLines(from: Readable, to: Writable, prefix: string, onLine?: (line: string) => void) {
  createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) => {
    to.write(`${prefix} ${line}\n`);
    onLine?.(line);
  });
}

interface Service {
  readonly name: string;
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  readonly exited: Promise<void>;
}

/**
 * The playground's long-running services, each a `signet …` child in a process group of its own,
 * so that Ctrl-C reaches `signet dev` alone and the services stop in order (worker, master,
 * signer). Any service that exits while not asked to calls `onUnexpectedExit`.
 */
export class DevServices {
  readonly #services: Service[] = [];
  #stopping: Promise<void> | undefined;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly onUnexpectedExit: (name: string, how: string) => void,
  ) {
    // Whatever ends this process, no service is left behind.
    process.once('exit', () => {
      for (const { child } of this.#services) if (child.exitCode === null) child.kill('SIGKILL');
    });
  }

  get stopping(): boolean {
    return this.#stopping !== undefined;
  }

  /** Starts `signet ARGS` as NAME and resolves with the URL of its "listening on URL" line. */
  start(name: string, args: readonly string[]): Promise<string> {
    const child = spawn(process.execPath, [SIGNET_BIN, ...args], {
      env: this.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    this.#services.push({ name, child, exited });
    const prefix = `[${name}]`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${name} did not start within ${READY_MS / 1000} s`)),
        READY_MS,
      );
      let ready = false;
      prefixLines(child.stdout, process.stdout, prefix);
      prefixLines(child.stderr, process.stderr, prefix, (line) => {
        const url = ready ? undefined : /listening on (http:\/\/\S+)/.exec(line)?.[1];
        if (url === undefined) return;
        ready = true;
        clearTimeout(timer);
        resolve(url);
      });
      child.once('error', (error) => reject(new Error(`${name} could not be started: ${error.message}`)));
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        if (!ready) reject(new Error(`${name} ${how} before it was ready; its output is above`));
        else if (!this.stopping) this.onUnexpectedExit(name, how);
      });
    });
  }

  /** Asks every service to stop (SIGTERM, last started first), then kills any that does not. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      for (const { child, exited } of [...this.#services].reverse()) {
        if (child.exitCode !== null || child.signalCode !== null) continue;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_MS);
        await exited;
        clearTimeout(timer);
      }
    })();
    return this.#stopping;
  }
}
