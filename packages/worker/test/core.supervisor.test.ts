import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreApiClient } from '../src/core/api-client.js';
import { withApiInbound } from '../src/core/config-patch.js';
import { CoreConfigInvalidError, CoreStartFailedError } from '../src/core/errors.js';
import { CORE_FLAVOURS, detectCore, type DetectedCore } from '../src/core/flavours.js';
import { CoreSupervisor, type CoreCrashEvent, type CoreSupervisorOptions } from '../src/core/supervisor.js';
import {
  ProcessPool,
  V2RAY,
  eventually,
  freePort,
  holdPort,
  nodeConfig,
  tempDir,
  waitForPort,
} from './support/core-fixtures.js';

const ALICE = { id: randomUUID(), email: 'alice@example.com' };
const pool = new ProcessPool();
const dirs: { remove(): void }[] = [];
const supervisors: CoreSupervisor[] = [];
let core: DetectedCore;

beforeAll(async () => {
  core = await detectCore(V2RAY);
});

afterAll(async () => {
  await Promise.all(supervisors.map((s) => s.stop().catch(() => undefined)));
  await pool.killAll();
  for (const dir of dirs) dir.remove();
});

function makeSupervisor(options: Partial<CoreSupervisorOptions> = {}, dataDir?: string) {
  const dir = tempDir('core-supervisor');
  dirs.push(dir);
  const events: string[] = [];
  const supervisor = new CoreSupervisor({
    core,
    dataDir: dataDir ?? dir.path,
    beforeStop: ({ pid, reason }) => void events.push(`beforeStop ${reason} ${pid}`),
    onStarted: ({ pid, reason }) => void events.push(`onStarted ${reason} ${pid}`),
    ...options,
  });
  supervisors.push(supervisor);
  return { supervisor, events, dataDir: dataDir ?? dir.path };
}

async function config(): Promise<{ json: string; apiPort: number; vlessPort: number }> {
  const [apiPort, vlessPort] = [await freePort(), await freePort()];
  return {
    json: withApiInbound(nodeConfig({ vlessPort, clients: [ALICE] }), {
      port: apiPort,
      allowLoopbackDestinations: true,
    }),
    apiPort,
    vlessPort,
  };
}

async function apiAnswers(supervisor: CoreSupervisor): Promise<boolean> {
  const client = new CoreApiClient(supervisor.apiEndpoint()!, 'v2ray');
  try {
    return (await client.queryStats()) instanceof Map;
  } finally {
    client.close();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.startsWith('Z');
  } catch {
    return false;
  }
}

describe('apply: validate before swapping in', () => {
  it('starts a config, writes config.json, last-good.json and core.pid, and keeps the output', async () => {
    const { supervisor, events, dataDir } = makeSupervisor();
    const { json } = await config();
    expect(supervisor.status()).toBe('stopped');
    expect(await supervisor.apply(json)).toBe('started');
    const pid = supervisor.pid()!;
    expect(supervisor.status()).toBe('running');
    expect(events).toEqual([`onStarted apply ${pid}`]);
    expect(readFileSync(join(dataDir, 'core', 'core.pid'), 'utf8').trim()).toBe(String(pid));
    expect(readFileSync(join(dataDir, 'core', 'last-good.json'), 'utf8')).toBe(
      readFileSync(join(dataDir, 'core', 'config.json'), 'utf8'),
    );
    expect(await apiAnswers(supervisor)).toBe(true);
    expect(supervisor.logs(5000).some((line) => line.includes('V2Ray 4.34.0 started'))).toBe(true);
    expect(supervisor.logs(1)).toHaveLength(1);
    expect(await supervisor.apply(json)).toBe('unchanged');
  });

  it('refuses an invalid config with the core message; the old core keeps running', async () => {
    const { supervisor, events, dataDir } = makeSupervisor();
    const { json } = await config();
    await supervisor.apply(json);
    const pid = supervisor.pid()!;
    const configFile = readFileSync(join(dataDir, 'core', 'config.json'), 'utf8');

    await expect(supervisor.apply('{not json')).rejects.toBeInstanceOf(CoreConfigInvalidError);
    const broken = JSON.parse(json) as { inbounds: { protocol: string }[] };
    broken.inbounds[1]!.protocol = 'nope';
    const refused = await supervisor.apply(JSON.stringify(broken)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CoreConfigInvalidError);
    expect((refused as Error).message).toMatch(/^the core refused the config: .*unknown config id: nope/);
    expect((refused as Error).message).not.toContain(dataDir);

    expect(supervisor.pid()).toBe(pid);
    expect(alive(pid)).toBe(true);
    expect(supervisor.status()).toBe('running');
    expect(await apiAnswers(supervisor)).toBe(true);
    expect(readFileSync(join(dataDir, 'core', 'config.json'), 'utf8')).toBe(configFile);
    expect(existsSync(join(dataDir, 'core', 'config.candidate.json'))).toBe(false);
    expect(events).toEqual([`onStarted apply ${pid}`]);
  });

  it('rolls back to the last good config when the new one validates but cannot start', async () => {
    const { supervisor, events, dataDir } = makeSupervisor();
    const { json } = await config();
    await supervisor.apply(json);
    const oldPid = supervisor.pid()!;
    const lastGood = readFileSync(join(dataDir, 'core', 'last-good.json'), 'utf8');

    const busyPort = await freePort();
    const holder = await holdPort(busyPort);
    try {
      const next = JSON.parse(json) as { inbounds: { port: number }[] };
      next.inbounds[1]!.port = busyPort;
      const failure = await supervisor.apply(JSON.stringify(next)).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(CoreStartFailedError);
      expect((failure as CoreStartFailedError).rolledBack).toBe(true);
      expect((failure as Error).message).toContain('address already in use');
      expect((failure as CoreStartFailedError).output.join('\n')).toContain(`127.0.0.1:${busyPort}`);
    } finally {
      await holder.close();
    }
    const newPid = supervisor.pid()!;
    expect(supervisor.status()).toBe('running');
    expect(alive(oldPid)).toBe(false);
    expect(await apiAnswers(supervisor)).toBe(true);
    expect(readFileSync(join(dataDir, 'core', 'config.json'), 'utf8')).toBe(lastGood);
    expect(readFileSync(join(dataDir, 'core', 'last-good.json'), 'utf8')).toBe(lastGood);
    expect(events).toEqual([
      `onStarted apply ${oldPid}`,
      `beforeStop apply ${oldPid}`,
      `onStarted rollback ${newPid}`,
    ]);
  });

  it('rolls back when the new core runs but its API does not answer', async () => {
    const { supervisor, events } = makeSupervisor({ startTimeoutMs: 2_500 });
    const { json } = await config();
    await supervisor.apply(json);
    const oldPid = supervisor.pid()!;
    const mute = JSON.parse(json) as { api: { services: string[] } };
    mute.api.services = [];
    const failure = await supervisor.apply(JSON.stringify(mute)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CoreStartFailedError);
    expect((failure as CoreStartFailedError).rolledBack).toBe(true);
    expect((failure as Error).message).toMatch(/API at 127\.0\.0\.1:\d+ did not answer within 2500 ms/);
    expect(supervisor.status()).toBe('running');
    expect(await apiAnswers(supervisor)).toBe(true);
    expect(events).toEqual([
      `onStarted apply ${oldPid}`,
      `beforeStop apply ${oldPid}`,
      `onStarted rollback ${supervisor.pid()}`,
    ]);
  });

  it('with no last good config, a config that cannot start leaves the core stopped', async () => {
    const { supervisor, dataDir } = makeSupervisor();
    const { json, vlessPort } = await config();
    const holder = await holdPort(vlessPort);
    try {
      const failure = await supervisor.apply(json).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(CoreStartFailedError);
      expect((failure as CoreStartFailedError).rolledBack).toBe(false);
    } finally {
      await holder.close();
    }
    expect(supervisor.status()).toBe('stopped');
    expect(supervisor.pid()).toBeNull();
    expect(existsSync(join(dataDir, 'core', 'config.json'))).toBe(false);
    await expect(supervisor.start()).rejects.toBeInstanceOf(CoreStartFailedError);
  });
});

describe('planned stops and crashes', () => {
  it('restart(): beforeStop while the old core still answers, onStarted after the new one is up', async () => {
    let drained: Map<string, bigint> | null = null;
    const { supervisor, events } = makeSupervisor({
      beforeStop: async ({ pid, reason }) => {
        events.push(`beforeStop ${reason} ${pid}`);
        const client = new CoreApiClient(supervisor.apiEndpoint()!, 'v2ray');
        drained = await client.queryStats('', true).finally(() => client.close());
      },
    });
    const { json } = await config();
    await supervisor.apply(json);
    const oldPid = supervisor.pid()!;
    expect(await supervisor.restart()).toBe('restarted');
    const newPid = supervisor.pid()!;
    expect(newPid).not.toBe(oldPid);
    expect(drained).toBeInstanceOf(Map);
    expect(events).toEqual([
      `onStarted apply ${oldPid}`,
      `beforeStop restart ${oldPid}`,
      `onStarted restart ${newPid}`,
    ]);

    await supervisor.stop();
    expect(supervisor.status()).toBe('stopped');
    expect(alive(newPid)).toBe(false);
    expect(events.at(-1)).toBe(`beforeStop stop ${newPid}`);
    expect(await supervisor.start()).toBe('started');
    expect(events.at(-1)).toMatch(/^onStarted start \d+$/);
    expect(await supervisor.start()).toBe('running');
  });

  it('restarts a killed core with exponential backoff and fires onStarted', async () => {
    const { supervisor, events } = makeSupervisor();
    const crashes: CoreCrashEvent[] = [];
    supervisor.on('crash', (event: CoreCrashEvent) => crashes.push(event));
    const { json } = await config();
    await supervisor.apply(json);

    const delays: number[] = [];
    for (let round = 0; round < 2; round++) {
      const pid = supervisor.pid()!;
      const killedAt = Date.now();
      process.kill(pid, 'SIGKILL');
      await eventually(() => (supervisor.status() === 'crashed' ? true : undefined), 2_000);
      const restarted = await eventually(() => {
        const current = supervisor.pid();
        return supervisor.status() === 'running' && current !== null && current !== pid ? current : undefined;
      }, 8_000);
      delays.push(Date.now() - killedAt);
      expect(restarted).not.toBe(pid);
      expect(events.at(-1)).toBe(`onStarted crash-restart ${restarted}`);
      expect(await apiAnswers(supervisor)).toBe(true);
    }
    expect(crashes.map((c) => [c.signal, c.restartInMs])).toEqual([
      ['SIGKILL', 500],
      ['SIGKILL', 1000],
    ]);
    // Each restart waited out its delay, then the 1.5 s the core must stay up.
    expect(delays[0]).toBeGreaterThanOrEqual(500 + 1500);
    expect(delays[1]).toBeGreaterThanOrEqual(1000 + 1500);
    expect(supervisor.logs(50).join('\n')).toMatch(/exited unexpectedly \(signal SIGKILL\)/);
  });

  it('keeps retrying a core that cannot come back, and resets the backoff after a healthy run', async () => {
    const { supervisor } = makeSupervisor({
      settleMs: 800,
      backoff: { initialMs: 200, resetAfterMs: 2_500 },
    });
    const crashes: CoreCrashEvent[] = [];
    const failures: Error[] = [];
    supervisor.on('crash', (event: CoreCrashEvent) => crashes.push(event));
    supervisor.on('startFailed', (error: Error) => failures.push(error));
    const { json, vlessPort } = await config();
    await supervisor.apply(json);

    process.kill(supervisor.pid()!, 'SIGKILL');
    const holder = await eventually(() => holdPort(vlessPort).catch(() => undefined), 2_000);
    await eventually(() => (failures.length >= 2 ? true : undefined), 5_000);
    expect(supervisor.status()).toBe('crashed');
    expect(failures[0]!.message).toContain('address already in use');
    await holder.close();
    const pid = await eventually(
      () => (supervisor.status() === 'running' ? supervisor.pid() : undefined),
      8_000,
    );
    expect(supervisor.logs(100).join('\n')).toMatch(
      /restarting in 200 ms[^]*restarting in 400 ms[^]*restarting in 800 ms/,
    );

    // Up for longer than resetAfterMs: the next crash is retried after initialMs again.
    await new Promise((resolve) => setTimeout(resolve, 2_600));
    process.kill(pid!, 'SIGKILL');
    await eventually(() => (crashes.length === 2 ? true : undefined), 2_000);
    expect(crashes.map((c) => c.restartInMs)).toEqual([200, 200]);
    await eventually(() => (supervisor.status() === 'running' ? true : undefined), 5_000);
  });

  it('a stopped core is not restarted', async () => {
    const { supervisor } = makeSupervisor({ backoff: { initialMs: 50 } });
    const { json } = await config();
    await supervisor.apply(json);
    const pid = supervisor.pid()!;
    await supervisor.stop();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(supervisor.status()).toBe('stopped');
    expect(supervisor.pid()).toBeNull();
    expect(alive(pid)).toBe(false);
  });
});

describe('a core left behind by a killed worker', () => {
  it('is found, can be drained through its API, then stopped; start() never runs two', async () => {
    const first = makeSupervisor();
    const { json } = await config();
    await first.supervisor.apply(json);
    await first.supervisor.stop();

    // What a SIGKILLed worker leaves: the core on our config file, its PID in core.pid.
    const coreDir = join(first.dataDir, 'core');
    const logFd = openSync(join(coreDir, 'core.log'), 'a');
    const stale = pool.track(
      spawn(V2RAY, CORE_FLAVOURS.v2ray.runArgs(join(coreDir, 'config.json')), {
        stdio: ['ignore', logFd, logFd],
      }),
    );
    closeSync(logFd);
    writeFileSync(join(coreDir, 'core.pid'), `${stale.pid}\n`);

    const second = makeSupervisor({}, first.dataDir);
    await eventually(async () =>
      (await apiAnswers(second.supervisor).catch(() => false)) ? true : undefined,
    );
    expect(await second.supervisor.adoptStale()).toEqual({ pid: stale.pid });
    const client = new CoreApiClient(second.supervisor.apiEndpoint()!, 'v2ray');
    expect(await client.queryStats('inbound>>>api', true)).toBeInstanceOf(Map);
    client.close();
    expect(await second.supervisor.killStale()).toBe(true);
    expect(alive(stale.pid!)).toBe(false);
    expect(await second.supervisor.adoptStale()).toBeNull();

    // Again, but the caller skips killStale: start() stops the stale core first.
    const logFd2 = openSync(join(coreDir, 'core.log'), 'a');
    const stale2 = pool.track(
      spawn(V2RAY, CORE_FLAVOURS.v2ray.runArgs(join(coreDir, 'config.json')), {
        stdio: ['ignore', logFd2, logFd2],
      }),
    );
    closeSync(logFd2);
    writeFileSync(join(coreDir, 'core.pid'), `${stale2.pid}\n`);
    const third = makeSupervisor({}, first.dataDir);
    expect(await third.supervisor.start()).toBe('started');
    expect(alive(stale2.pid!)).toBe(false);
    expect(third.supervisor.logs(100).join('\n')).toContain(
      `stopping core pid ${stale2.pid} left by an earlier worker`,
    );
    await third.supervisor.stop();
  });

  it('why the core writes to a file: v2ray whose stdout pipe lost its reader dies at its next log line', async () => {
    const dir = tempDir('core-sigpipe');
    dirs.push(dir);
    const { json, vlessPort } = await config();
    const noisy = JSON.parse(json) as { log: { loglevel: string } };
    noisy.log.loglevel = 'info';
    const file = join(dir.path, 'config.json');
    writeFileSync(file, JSON.stringify(noisy));
    const piped = pool.track(spawn(V2RAY, ['-config', file], { stdio: ['ignore', 'pipe', 'pipe'] }));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      piped.once('exit', (_code, signal) => resolve(signal)),
    );
    await waitForPort(vlessPort, 5_000);
    piped.stdout!.destroy();
    piped.stderr!.destroy();
    const socket = connect(vlessPort, '127.0.0.1', () => socket.end('not vless'));
    socket.on('error', () => undefined);
    expect(
      await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('alive'), 3_000))]),
    ).toBe('SIGPIPE');
  });

  it('a PID file naming some other live process is not taken for our core', async () => {
    const { supervisor, dataDir } = makeSupervisor();
    writeFileSync(join(dataDir, 'core', 'core.pid'), `${process.pid}\n`);
    expect(await supervisor.adoptStale()).toBeNull();
    expect(await supervisor.killStale()).toBe(false);
    expect(alive(process.pid)).toBe(true);
  });
});
