import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { closeSync, mkdirSync, readFileSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleepRef } from 'node:timers/promises';
import { CoreApiClient, type CoreApiEndpoint } from './api-client.js';
import { CoreLogFile } from './core-log.js';
import { apiEndpointOf, parseCoreConfig, vlessClientsDiff, type VlessClientsDiff } from './config-patch.js';
import { CoreConfigInvalidError, CoreStartFailedError } from './errors.js';
import { CORE_FLAVOURS, type CoreFlavourRow, type DetectedCore } from './flavours.js';
import { LogRing } from './log-ring.js';
import { runCommand } from './run-command.js';
import { portAnswers } from './port-probe.js';
import { isOurCore, readPidFile, removePidFile, terminate, writePidFile } from './stale-core.js';

export type CoreStatus = 'running' | 'stopped' | 'starting' | 'crashed';
export type StartReason = 'start' | 'apply' | 'restart' | 'rollback' | 'crash-restart';
export type StopReason = 'apply' | 'restart' | 'stop';
export type ApplyResult = 'started' | 'restarted' | 'unchanged' | 'users-updated';

export interface CoreSupervisorOptions {
  readonly core: DetectedCore;
  /** The core's files live in `<dataDir>/core/`: config.json, last-good.json, core.pid, core.log. */
  readonly dataDir: string;
  /**
   * Called before every planned stop of a running core (apply, restart, stop): drain the counters.
   * Hooks run inside the supervisor's operation: they must not call its operations themselves.
   */
  readonly beforeStop?: (event: { pid: number; reason: StopReason }) => void | Promise<void>;
  /** Called after every start, including crash restarts and rollbacks: the core's counters are zero. */
  readonly onStarted?: (event: { pid: number; reason: StartReason }) => void | Promise<void>;
  /** Lines of the core's output kept for `logs()` (default 5000). */
  readonly logLines?: number;
  /** A new core must stay up this long to count as started (default 1500 ms). */
  readonly settleMs?: number;
  /** ... and its API must answer within this (default 5000 ms). */
  readonly startTimeoutMs?: number;
  /** SIGTERM, then SIGKILL after this (default 5000 ms). */
  readonly stopTimeoutMs?: number;
  /** Limit for the core's config test (default 15000 ms). */
  readonly testTimeoutMs?: number;
  /** Limit for each hook call (default 10000 ms); a hook that fails or overruns is reported, not fatal. */
  readonly hookTimeoutMs?: number;
  /** Crash restarts: initialMs doubling up to maxMs, back to initialMs after resetAfterMs of healthy running. */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number; readonly resetAfterMs?: number };
  /** Apply VLESS user changes through the API instead of a restart (default true). */
  readonly liveUserUpdates?: boolean;
}

/** Events: 'status' (CoreStatus), 'crash' (CoreCrashEvent), 'startFailed' (Error), 'hookError' (Error). */
export interface CoreCrashEvent {
  readonly pid: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly restartInMs: number;
}

interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly error?: Error;
}

interface Child {
  readonly proc: ChildProcess;
  readonly pid: number;
  readonly startedAt: number;
  readonly exited: Promise<ExitInfo>;
  planned: boolean;
}

const MARKER = '[signet]';

/**
 * Owns the core's child process: validates a config with the core's own test command before it is
 * swapped in, keeps the last good config and rolls back to it, restarts a crashed core with backoff,
 * keeps its output in a ring, and finds a core left behind by a worker that was killed. Operations
 * run one at a time; every wait has a limit.
 */
export class CoreSupervisor extends EventEmitter {
  readonly #core: DetectedCore;
  readonly #row: CoreFlavourRow;
  readonly #dir: string;
  readonly #paths: { config: string; lastGood: string; candidate: string; pid: string; log: string };
  readonly #ring: LogRing;
  readonly #log: CoreLogFile;
  readonly #opts: Required<
    Omit<CoreSupervisorOptions, 'beforeStop' | 'onStarted' | 'backoff' | 'core' | 'dataDir'>
  >;
  readonly #backoff: { initialMs: number; maxMs: number; resetAfterMs: number };
  beforeStop: CoreSupervisorOptions['beforeStop'];
  onStarted: CoreSupervisorOptions['onStarted'];

  #status: CoreStatus = 'stopped';
  #child: Child | null = null;
  #wanted = false;
  #queue: Promise<unknown> = Promise.resolve();
  #restartTimer: NodeJS.Timeout | null = null;
  #nextDelayMs: number;
  #stalePid: number | null = null;
  #configText: string | null;

  constructor(options: CoreSupervisorOptions) {
    super();
    const { core, dataDir } = options ?? {};
    if (!core || !(core.flavour in CORE_FLAVOURS) || typeof core.path !== 'string') {
      throw new TypeError('CoreSupervisor: "core" must be the result of detectCore()');
    }
    if (typeof dataDir !== 'string' || dataDir.length === 0) {
      throw new TypeError('CoreSupervisor: "dataDir" must be a non-empty string');
    }
    this.#core = core;
    this.#row = CORE_FLAVOURS[core.flavour];
    this.#dir = join(dataDir, 'core');
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    this.#paths = {
      config: join(this.#dir, 'config.json'),
      lastGood: join(this.#dir, 'last-good.json'),
      candidate: join(this.#dir, 'config.candidate.json'),
      pid: join(this.#dir, 'core.pid'),
      log: join(this.#dir, 'core.log'),
    };
    this.#opts = {
      logLines: options.logLines ?? 5000,
      settleMs: options.settleMs ?? 1500,
      startTimeoutMs: options.startTimeoutMs ?? 5000,
      stopTimeoutMs: options.stopTimeoutMs ?? 5000,
      testTimeoutMs: options.testTimeoutMs ?? 15_000,
      hookTimeoutMs: options.hookTimeoutMs ?? 10_000,
      liveUserUpdates: options.liveUserUpdates ?? true,
    };
    this.#backoff = {
      initialMs: options.backoff?.initialMs ?? 500,
      maxMs: options.backoff?.maxMs ?? 30_000,
      resetAfterMs: options.backoff?.resetAfterMs ?? 60_000,
    };
    this.#nextDelayMs = this.#backoff.initialMs;
    this.beforeStop = options.beforeStop;
    this.onStarted = options.onStarted;
    this.#ring = new LogRing(this.#opts.logLines);
    this.#log = new CoreLogFile(this.#paths.log, this.#ring);
    this.#log.loadExisting();
    this.#configText = readTextSync(this.#paths.config);
  }

  status(): CoreStatus {
    return this.#status;
  }

  /** The PID of the core this supervisor runs, or null. */
  pid(): number | null {
    return this.#child?.pid ?? null;
  }

  /** Where the current config's API answers (null without an API section). */
  apiEndpoint(): CoreApiEndpoint | null {
    return this.#configText === null ? null : apiEndpointOf(this.#configText);
  }

  /** The last `lines` lines of the core's output (and of the supervisor's own notes), oldest first. */
  logs(lines = 100): string[] {
    if (!Number.isInteger(lines) || lines < 1)
      throw new TypeError('logs: "lines" must be a positive integer');
    this.#log.poll();
    return this.#ring.tail(lines);
  }

  /**
   * A core left running by an earlier worker process (its PID file names a live process running our
   * binary on our config path), or null. Drain its counters through `apiEndpoint()`, then `killStale()`;
   * any start stops it anyway.
   */
  adoptStale(): Promise<{ pid: number } | null> {
    return this.#exclusive(async () => {
      const pid = await this.#findStale();
      this.#stalePid = pid;
      return pid === null ? null : { pid };
    });
  }

  /** Stops the stale core found by `adoptStale()` (SIGTERM, then SIGKILL); true when one was stopped. */
  killStale(): Promise<boolean> {
    return this.#exclusive(() => this.#killStale());
  }

  /** Starts the core on the last good config (at worker start: runs without the master). */
  start(): Promise<'started' | 'running'> {
    return this.#exclusive(async () => {
      if (this.#child) return 'running';
      const text = (await readText(this.#paths.lastGood)) ?? (await readText(this.#paths.config));
      if (text === null) throw new CoreStartFailedError('no configuration to start: apply one first');
      if (text !== (await readText(this.#paths.config))) await this.#writeConfig(text);
      this.#wanted = true;
      this.#cancelRestart();
      await this.#startOrRetry('start');
      return 'started';
    });
  }

  /**
   * Validates `configJson` with the core's test command, then swaps it in: through the API when only
   * VLESS users changed, else by a restart that rolls back to the last good config if the new one
   * does not start. Throws CoreConfigInvalidError (nothing changed) or CoreStartFailedError.
   */
  apply(configJson: string): Promise<ApplyResult> {
    return this.#exclusive(async () => {
      const text = `${JSON.stringify(parseCoreConfig(configJson, 'configJson'), null, 2)}\n`;
      const current = await readText(this.#paths.config);
      const running = this.#child !== null;
      if (running && current === text) return 'unchanged';
      await this.#validate(text);
      this.#wanted = true;
      if (running && current !== null && this.#opts.liveUserUpdates) {
        const diff = usersDiff(current, text);
        if (diff?.onlyUsersChanged && diff.added.length === 0 && diff.removed.length === 0) {
          // The same config, written differently (key order): nothing for the core to do.
          await this.#commitCandidate(text);
          return 'unchanged';
        }
        if (diff?.onlyUsersChanged && (await this.#applyUsers(diff, current))) {
          await this.#commitCandidate(text);
          return 'users-updated';
        }
      }
      this.#cancelRestart();
      await this.#stopChild('apply');
      await rename(this.#paths.candidate, this.#paths.config);
      this.#configText = text;
      try {
        await this.#spawn('apply');
      } catch (error) {
        throw await this.#rollback(error as Error);
      }
      await writeAtomic(this.#paths.lastGood, text);
      return running ? 'restarted' : 'started';
    });
  }

  /** Stops (after `beforeStop`) and starts the core on its current config. */
  restart(): Promise<'restarted'> {
    return this.#exclusive(async () => {
      if ((await readText(this.#paths.config)) === null) {
        throw new CoreStartFailedError('no configuration to start: apply one first');
      }
      this.#wanted = true;
      this.#cancelRestart();
      await this.#stopChild('restart');
      await this.#startOrRetry('restart');
      return 'restarted' as const;
    });
  }

  /** Stops the core (after `beforeStop`) and cancels crash restarts. */
  stop(): Promise<void> {
    return this.#exclusive(async () => {
      this.#wanted = false;
      this.#cancelRestart();
      await this.#stopChild('stop');
      this.#setStatus('stopped');
      this.#log.unfollow();
    });
  }

  // ---------------------------------------------------------------------------------------------

  #exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(operation, operation);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #validate(text: string): Promise<void> {
    await writeFile(this.#paths.candidate, text, { mode: 0o600 });
    const result = await runCommand(this.#core.path, this.#row.testArgs(this.#paths.candidate), {
      timeoutMs: this.#opts.testTimeoutMs,
      cwd: this.#dir,
    });
    if (result.exitCode === 0) return;
    await rm(this.#paths.candidate, { force: true });
    const why = result.timedOut
      ? `the config test did not finish within ${this.#opts.testTimeoutMs} ms`
      : result.spawnError
        ? `the core could not be run: ${result.spawnError.code ?? result.spawnError.message}`
        : coreMessage(result.output.replaceAll(this.#paths.candidate, 'config.json'), this.#row);
    throw new CoreConfigInvalidError(`the core refused the config: ${why}`);
  }

  /** The validated candidate becomes config.json and last-good.json (the running core has it). */
  async #commitCandidate(text: string): Promise<void> {
    await rename(this.#paths.candidate, this.#paths.config);
    this.#configText = text;
    await writeAtomic(this.#paths.lastGood, text);
  }

  async #applyUsers(diff: VlessClientsDiff, current: string): Promise<boolean> {
    const endpoint = apiEndpointOf(current);
    if (endpoint === null) return false;
    const client = new CoreApiClient(endpoint, this.#core.flavour);
    try {
      for (const { tag, email } of diff.removed) await client.removeUser(tag, email);
      for (const { tag, ...user } of diff.added) await client.addVlessUser(tag, user);
      this.#note(`users updated through the API: +${diff.added.length} -${diff.removed.length}`);
      return true;
    } catch (error) {
      this.#note(
        `users could not be updated through the API (${(error as Error).message}); restarting instead`,
      );
      return false;
    } finally {
      client.close();
    }
  }

  /** After a failed start of a new config: the last good one again, or nothing. */
  async #rollback(failure: Error): Promise<CoreStartFailedError> {
    const lastGood = await readText(this.#paths.lastGood);
    let rolledBack = false;
    if (lastGood !== null) {
      await this.#writeConfig(lastGood);
      try {
        await this.#spawn('rollback');
        rolledBack = true;
      } catch (error) {
        this.emit('startFailed', error);
        this.#scheduleRestart();
      }
    } else {
      await rm(this.#paths.config, { force: true });
      this.#configText = null;
      this.#wanted = false;
      this.#setStatus('stopped');
    }
    const outcome = rolledBack
      ? 'rolled back to the last good config'
      : lastGood === null
        ? 'no last good config to roll back to'
        : 'the last good config did not start either; retrying with backoff';
    const error = new CoreStartFailedError(`the new config did not start: ${failure.message}; ${outcome}`, {
      rolledBack,
      output: failure instanceof CoreStartFailedError ? failure.output : [],
      cause: failure,
    });
    this.emit('startFailed', error);
    return error;
  }

  /** A start whose failure leaves the core crashed and retried with backoff. */
  async #startOrRetry(reason: StartReason): Promise<void> {
    try {
      await this.#spawn(reason);
    } catch (error) {
      this.emit('startFailed', error);
      this.#scheduleRestart();
      throw error;
    }
  }

  async #spawn(reason: StartReason): Promise<void> {
    await this.#killStale();
    // v2ray binds with SO_REUSEPORT: a second core on the same ports would start and share its
    // connections and API with an untracked one, whose counters would then be read as ours.
    const endpoint = this.apiEndpoint();
    if (endpoint && (await portAnswers(endpoint.host ?? '127.0.0.1', endpoint.port))) {
      throw new CoreStartFailedError(
        `something already answers on the core's API port ${endpoint.port}: another core? stop it first`,
      );
    }
    this.#setStatus('starting');
    const fd = this.#log.openForChild();
    let proc: ChildProcess;
    try {
      proc = spawn(this.#core.path, this.#row.runArgs(this.#paths.config), {
        cwd: this.#dir,
        stdio: ['ignore', fd, fd],
        // Its own process group: a signal to the worker's group (Ctrl-C, systemd stopping the
        // unit) reaches the worker, which drains the counters, then stops the core.
        detached: true,
      });
    } finally {
      closeSync(fd);
    }
    const exited = new Promise<ExitInfo>((resolve) => {
      proc.once('exit', (code, signal) => resolve({ code, signal }));
      proc.once('error', (error) => resolve({ code: null, signal: null, error }));
    });
    this.#log.follow();
    const child: Child = { proc, pid: proc.pid ?? -1, startedAt: Date.now(), exited, planned: false };
    this.#note(`starting core (${reason}) pid ${child.pid}`);
    if (child.pid > 0) await writePidFile(this.#paths.pid, child.pid);

    const failure = await this.#waitReady(child);
    if (failure !== null) {
      child.planned = true;
      if (child.pid > 0) {
        proc.kill('SIGKILL');
        await Promise.race([exited, sleep(2_000)]);
      }
      await removePidFile(this.#paths.pid);
      this.#setStatus('crashed');
      this.#log.poll(); // the core has exited: its last lines (the reason) are in the file now
      const output = this.#outputSinceStart();
      const line = output.findLast((l) => /fail|error|panic|denied|in use/i.test(l)) ?? output.at(-1);
      this.#note(`core did not start: ${failure}`);
      throw new CoreStartFailedError(`${failure}${line ? `: ${line}` : ''}`, { output });
    }

    this.#child = child;
    void exited.then((info) => this.#onExit(child, info));
    this.#setStatus('running');
    await this.#hook('onStarted', { pid: child.pid, reason });
  }

  /** null when the core is up: alive after `settleMs` and its API (if any) answering. */
  async #waitReady(child: Child): Promise<string | null> {
    let exit: ExitInfo | null = null;
    void child.exited.then((info) => (exit = info));
    const endpoint = this.#configText === null ? null : apiEndpointOf(this.#configText);
    const deadline = child.startedAt + this.#opts.startTimeoutMs;
    let apiOk = endpoint === null;
    for (;;) {
      if (exit) return `the core exited at start (${describeExit(exit)})`;
      if (!apiOk && endpoint) apiOk = await this.#probe(endpoint);
      if (exit) return `the core exited at start (${describeExit(exit)})`;
      const now = Date.now();
      if (apiOk && now >= child.startedAt + this.#opts.settleMs) return null;
      if (now >= deadline) {
        return `the core's API at ${endpoint?.host}:${endpoint?.port} did not answer within ${this.#opts.startTimeoutMs} ms`;
      }
      await Promise.race([sleep(100), child.exited]);
    }
  }

  /** One stats query, on a fresh channel (a reused one would wait out gRPC's reconnect backoff). */
  async #probe(endpoint: CoreApiEndpoint): Promise<boolean> {
    const client = new CoreApiClient(endpoint, this.#core.flavour, { deadlineMs: 1_000 });
    try {
      await client.queryStats('signet.probe', false);
      return true;
    } catch {
      return false;
    } finally {
      client.close();
    }
  }

  #onExit(child: Child, info: ExitInfo): void {
    if (this.#child !== child || child.planned) return;
    this.#child = null;
    this.#log.poll();
    this.#note(`core pid ${child.pid} exited unexpectedly (${describeExit(info)})`);
    void removePidFile(this.#paths.pid);
    if (Date.now() - child.startedAt >= this.#backoff.resetAfterMs)
      this.#nextDelayMs = this.#backoff.initialMs;
    const restartInMs = this.#scheduleRestart();
    const event: CoreCrashEvent = { pid: child.pid, code: info.code, signal: info.signal, restartInMs };
    this.emit('crash', event);
  }

  /** Schedules a restart of the current config after the next backoff delay; returns the delay. */
  #scheduleRestart(): number {
    this.#setStatus('crashed');
    this.#cancelRestart();
    const delay = this.#nextDelayMs;
    this.#nextDelayMs = Math.min(delay * 2, this.#backoff.maxMs);
    this.#note(`restarting in ${delay} ms`);
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = null;
      this.#exclusive(async () => {
        if (!this.#wanted || this.#child) return;
        await this.#startOrRetry('crash-restart');
      }).catch(() => undefined);
    }, delay);
    this.#restartTimer.unref();
    return delay;
  }

  #cancelRestart(): void {
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    this.#restartTimer = null;
  }

  async #stopChild(reason: StopReason): Promise<void> {
    const child = this.#child;
    if (!child) return;
    await this.#hook('beforeStop', { pid: child.pid, reason });
    child.planned = true;
    this.#child = null;
    this.#note(`stopping core pid ${child.pid} (${reason})`);
    child.proc.kill('SIGTERM');
    if ((await Promise.race([child.exited, sleep(this.#opts.stopTimeoutMs, null)])) === null) {
      this.#note(`core pid ${child.pid} ignored SIGTERM for ${this.#opts.stopTimeoutMs} ms; SIGKILL`);
      child.proc.kill('SIGKILL');
      await Promise.race([child.exited, sleep(2_000)]);
    }
    this.#log.poll();
    await removePidFile(this.#paths.pid);
    this.#setStatus('stopped');
  }

  async #findStale(): Promise<number | null> {
    const pid = await readPidFile(this.#paths.pid);
    if (pid === null || pid === this.#child?.pid) return null;
    return (await isOurCore(pid, this.#core.path, this.#paths.config)) ? pid : null;
  }

  async #killStale(): Promise<boolean> {
    const pid = this.#stalePid ?? (await this.#findStale());
    this.#stalePid = null;
    if (pid === null || !(await isOurCore(pid, this.#core.path, this.#paths.config))) return false;
    this.#note(`stopping core pid ${pid} left by an earlier worker`);
    const gone = await terminate(pid, this.#opts.stopTimeoutMs);
    if (!gone) throw new CoreStartFailedError(`the core pid ${pid} left by an earlier worker does not stop`);
    await removePidFile(this.#paths.pid);
    return true;
  }

  async #hook<K extends 'beforeStop' | 'onStarted'>(
    name: K,
    event: Parameters<NonNullable<CoreSupervisorOptions[K]>>[0],
  ): Promise<void> {
    const hook = this[name] as ((e: typeof event) => void | Promise<void>) | undefined;
    if (!hook) return;
    try {
      const outcome = await Promise.race([
        Promise.resolve(hook(event)).then(() => 'done' as const),
        sleep(this.#opts.hookTimeoutMs, 'timeout' as const),
      ]);
      if (outcome === 'timeout')
        throw new Error(`${name} did not finish within ${this.#opts.hookTimeoutMs} ms`);
    } catch (error) {
      this.#note(`${name} hook failed: ${(error as Error).message}`);
      this.emit('hookError', error);
    }
  }

  async #writeConfig(text: string): Promise<void> {
    await writeAtomic(this.#paths.config, text);
    this.#configText = text;
  }

  #setStatus(status: CoreStatus): void {
    if (this.#status === status) return;
    this.#status = status;
    this.emit('status', status);
  }

  #note(text: string): void {
    this.#log.poll();
    this.#ring.push(`${new Date().toISOString()} ${MARKER} ${text}`);
  }

  /** The core's lines since the last "starting core" note. */
  #outputSinceStart(): string[] {
    this.#log.poll();
    this.#ring.flush();
    const lines = this.#ring.tail(200);
    const start = lines.findLastIndex((line) => line.includes(`${MARKER} starting core`));
    return lines.slice(start + 1).filter((line) => !line.includes(MARKER));
  }
}

/** The core's own explanation in its test output: its error lines without the banner. */
function coreMessage(output: string, row: CoreFlavourRow): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter(
      (line) =>
        line &&
        !row.versionPattern.test(line) &&
        !/^(A unified platform|goroutine |v2ray\.com\/|github\.com\/|main\.)/.test(line),
    );
  const line =
    lines.find((l) => /fail|error|panic|invalid|unknown|not /i.test(l)) ?? lines.at(-1) ?? 'no output';
  return line.slice(0, 1000);
}

/** A wait that never keeps the process alive by itself. */
function sleep<T = void>(ms: number, value?: T): Promise<T> {
  return sleepRef(ms, value as T, { ref: false });
}

/** The user changes between two configs; null when the current file is not a config (then restart). */
function usersDiff(current: string, next: string): VlessClientsDiff | null {
  try {
    return vlessClientsDiff(current, next);
  } catch {
    return null;
  }
}

function describeExit(info: ExitInfo): string {
  if (info.error) return `could not run: ${(info.error as NodeJS.ErrnoException).code ?? info.error.message}`;
  return info.signal ? `signal ${info.signal}` : `code ${info.code}`;
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

function readTextSync(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, path);
}
