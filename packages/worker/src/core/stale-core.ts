import { readdir, readFile, readlink, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The PID file of the core and the recognition of a core left running by a worker that was killed:
 * the PID is alive, not a zombie, and /proc/PID says it is our binary running our config file (so
 * a recycled PID is never taken for our core).
 */

export async function readPidFile(path: string): Promise<number | null> {
  try {
    const pid = Number((await readFile(path, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 1 ? pid : null;
  } catch {
    return null;
  }
}

export async function writePidFile(path: string, pid: number): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${pid}\n`, { mode: 0o600 });
  await rename(tmp, path);
}

export async function removePidFile(path: string): Promise<void> {
  await rm(path, { force: true });
}

/** True when `pid` is a live process (not a zombie) running `binaryPath` on `configPath`. */
export async function isOurCore(pid: number, binaryPath: string, configPath: string): Promise<boolean> {
  if (!isAlive(pid) || (await isZombie(pid))) return false;
  try {
    const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    if (!argv.includes(configPath)) return false;
    const exe = await readlink(`/proc/${pid}/exe`).catch(() => null);
    const ours = await realpath(binaryPath).catch(() => binaryPath);
    return exe === ours || basename(argv[0] ?? '') === basename(binaryPath);
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after `termTimeoutMs`; resolves true once the process is gone. */
export async function terminate(pid: number, termTimeoutMs: number, killTimeoutMs = 2_000): Promise<boolean> {
  if (!signal(pid, 'SIGTERM')) return true;
  if (await waitGone(pid, termTimeoutMs)) return true;
  signal(pid, 'SIGKILL');
  return waitGone(pid, killTimeoutMs);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signal(pid: number, name: NodeJS.Signals): boolean {
  try {
    process.kill(pid, name);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!isAlive(pid) || (await isFinishedZombie(pid))) return true;
    if (Date.now() >= deadline) return false;
    await sleep(50); // ref'd: a worker whose start awaits this must not exit meanwhile
  }
}

/**
 * A zombie whose other threads have exited too. The leader of a multi-threaded process (v2ray is
 * Go) turns 'Z' as soon as its own thread exits, while its sibling threads may still hold the
 * process's files, listening sockets included; only once they are gone are the ports free.
 */
async function isFinishedZombie(pid: number): Promise<boolean> {
  if (!(await isZombie(pid))) return false;
  const threads = await readdir(`/proc/${pid}/task`).catch(() => []);
  return threads.length <= 1;
}

async function isZombie(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The state follows the parenthesised command name, which may itself contain ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}
