// `signet admin create|list|delete|unlock|password`, run as processes on a temporary --data store.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { generateFernetKey } from '@signet/auth';
import { listAudit, openDatabase, verifyAdminLogin } from '@signet/master';
import { readNewPassword } from '../src/lib/password-input.js';
import { runCli, SIGNET_BIN, type CliResult } from './run-cli.js';

const PTY_RUN = fileURLToPath(new URL('./support/pty-run.py', import.meta.url));

const KEY = generateFernetKey();
const PASSWORD = 'correct horse battery staple';
let data: string;

const signet = (
  args: readonly string[],
  options: { input?: string; env?: Record<string, string | undefined> } = {},
): CliResult => {
  const result = runCli([...args, '--data', data], {
    ...(options.input === undefined ? {} : { input: options.input }),
    env: { ENCRYPTION_KEY: KEY, DATABASE_URL: undefined, SIGNET_ADMIN_PASSWORD: undefined, ...options.env },
  });
  expect(result.stdout).not.toContain(PASSWORD);
  expect(result.stderr).not.toContain(PASSWORD);
  return result;
};

interface Listed {
  id: number;
  name: string;
  lastLoginAt: string | null;
  failedLogins: number;
  lockedUntil: string | null;
}
const list = (): Listed[] => JSON.parse(signet(['admin', 'list', '--json']).stdout) as Listed[];

async function withStore<T>(work: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const db = await openDatabase({ dataDir: data });
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

const login = (name: string, password: string) => withStore((db) => verifyAdminLogin(db, name, password));

beforeEach(() => {
  data = join(mkdtempSync(join(tmpdir(), 'signet-admin-')), 'data');
});

describe('signet admin create', () => {
  it('takes the password from SIGNET_ADMIN_PASSWORD and stores only a hash', async () => {
    const result = signet(['admin', 'create', 'alice'], { env: { SIGNET_ADMIN_PASSWORD: PASSWORD } });
    expect(result.stderr).not.toMatch(/error|warning/i);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^admin alice \(id \d+\) created\n$/);
    expect(list()).toMatchObject([{ name: 'alice', lastLoginAt: null, failedLogins: 0, lockedUntil: null }]);
    for (const file of readdirSync(data))
      expect(readFileSync(join(data, file)).includes(PASSWORD), file).toBe(false);
    expect((await login('alice', PASSWORD)).ok).toBe(true);
    expect((await login('alice', `${PASSWORD}?`)).ok).toBe(false);
  });

  it('takes one line from standard input with --password-stdin', async () => {
    const result = signet(['admin', 'create', 'bob', '--password-stdin'], {
      input: `${PASSWORD}\r\nignored\n`,
    });
    expect(result.status).toBe(0);
    expect(list().map((a) => a.name)).toEqual(['bob']);
    expect((await login('bob', PASSWORD)).ok).toBe(true);
    const changed = signet(['admin', 'password', 'bob', '--password-stdin'], { input: `${PASSWORD}!` });
    expect(changed.status).toBe(0);
    expect(changed.stdout).toBe('password of admin bob changed\n');
    expect((await login('bob', PASSWORD)).ok).toBe(false);
    expect((await login('bob', `${PASSWORD}!`)).ok).toBe(true);
  });

  it('refuses a short password, a duplicate, a missing password and two sources, changing nothing', async () => {
    const short = signet(['admin', 'create', 'carol'], { env: { SIGNET_ADMIN_PASSWORD: 'short' } });
    expect(short.status).toBe(1);
    expect(short.stderr).toContain('PASSWORD_INVALID');
    expect(short.stderr).toMatch(/12 to 1024 characters/);
    expect(short.stderr).not.toContain('short\n');
    expect(list()).toEqual([]);

    const none = signet(['admin', 'create', 'carol']);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/SIGNET_ADMIN_PASSWORD.*--password-stdin.*terminal/);
    const emptyStdin = signet(['admin', 'create', 'carol', '--password-stdin'], { input: '' });
    expect(emptyStdin.status).toBe(2);
    const both = signet(['admin', 'create', 'carol', '--password-stdin'], {
      input: `${PASSWORD}\n`,
      env: { SIGNET_ADMIN_PASSWORD: PASSWORD },
    });
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('not both');
    expect(list()).toEqual([]);

    expect(signet(['admin', 'create', 'carol'], { env: { SIGNET_ADMIN_PASSWORD: PASSWORD } }).status).toBe(0);
    const [before] = list();
    const duplicate = signet(['admin', 'create', 'carol'], {
      env: { SIGNET_ADMIN_PASSWORD: `${PASSWORD}2` },
    });
    expect(duplicate.status).toBe(2);
    expect(duplicate.stderr).toContain('an admin named carol exists');
    expect(list()).toEqual([before]);

    const bad = signet(['admin', 'create', '-bad name'], { env: { SIGNET_ADMIN_PASSWORD: PASSWORD } });
    expect(bad.status).not.toBe(0);
    expect(list()).toEqual([before]);

    const events = await withStore(async (db) => (await listAudit(db, { limit: 500 })).events);
    const rows = events.map((e) => `${e.action} ${e.target ?? ''} ${e.result}`);
    expect(rows.filter((r) => r.endsWith(' ok'))).toEqual(['admin.create name=carol ok']);
    expect(rows).toContain('admin.create name=carol failed');
    for (const e of events) {
      expect(e.actorKind).toBe('operator');
      expect(e.source).toBe('cli');
      expect(JSON.stringify(e)).not.toContain(PASSWORD);
    }
  });

  // A real pseudo-terminal from Python: the test sees exactly what the user's terminal would show,
  // and reads the terminal's ECHO flag from the pty itself.
  interface PtyRun {
    status: number | null;
    timedOut: boolean;
    terminal: string;
    echoAtSteps: boolean[];
    echoAfterExit: boolean;
  }
  const cleanEnv = () =>
    Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) => !['DATABASE_URL', 'SIGNET_ADMIN_PASSWORD', 'API_SECRET_KEY'].includes(k),
      ),
    );
  const onTerminal = (args: readonly string[], steps: { wait: string; send?: string }[]): PtyRun => {
    const out = execFileSync('python3', [PTY_RUN, process.execPath, SIGNET_BIN, ...args, '--data', data], {
      env: { ...cleanEnv(), ENCRYPTION_KEY: KEY, PTY_STEPS: JSON.stringify(steps) },
      timeout: 25_000,
    }).toString();
    const run = JSON.parse(out) as PtyRun;
    expect(run.terminal).not.toContain(PASSWORD);
    return run;
  };
  const prompts = (name: string) => [`password for ${name}: `, `password for ${name} (again): `] as const;

  it('asks twice on a terminal with echo off, and refuses two different answers', async () => {
    const ask = (name: string, answers: string[]) => {
      const [first, again] = prompts(name);
      // The last step is the line end after the second answer: the prompt is over, the command not yet.
      return onTerminal(
        ['admin', 'create', name],
        [{ wait: first, send: `${answers[0]}\r` }, { wait: again, send: `${answers[1]}\r` }, { wait: '\n' }],
      );
    };
    const typed = ask('dora', [PASSWORD, PASSWORD]);
    expect(typed.terminal).toContain('password for dora: ');
    expect(typed.terminal).toContain('password for dora (again): ');
    expect(typed.terminal).toContain('admin dora');
    expect(typed.status).toBe(0);
    expect(typed.echoAtSteps).toEqual([false, false, true]);
    expect(typed.echoAfterExit).toBe(true);
    expect((await login('dora', PASSWORD)).ok).toBe(true);
    const differ = ask('erin', [PASSWORD, `${PASSWORD}x`]);
    expect(differ.status).toBe(2);
    expect(differ.terminal).toContain('differ');
    expect(differ.echoAtSteps).toEqual([false, false, true]);
    expect(list().map((a) => a.name)).toEqual(['dora']);
  });

  it('keeps what is typed ahead: both lines pasted in one write, CR or CRLF, create the admin', async () => {
    for (const [name, paste] of [
      ['gus', `${PASSWORD}\r${PASSWORD}\r`],
      ['hana', `${PASSWORD}\r\n${PASSWORD}\r\n`],
    ] as const) {
      const [first, again] = prompts(name);
      const run = onTerminal(['admin', 'create', name], [{ wait: first, send: paste }, { wait: again }]);
      expect(run.timedOut).toBe(false);
      expect(run.status).toBe(0);
      expect(run.terminal).toMatch(new RegExp(`admin ${name} \\(id \\d+\\) created`));
      expect(run.echoAfterExit).toBe(true);
      expect((await login(name, PASSWORD)).ok).toBe(true);
    }
    expect(list().map((a) => a.name)).toEqual(['gus', 'hana']);
  });

  it('Ctrl-C exits 130 and Ctrl-D exits 2, at either prompt, with the terminal echoing again', async () => {
    const [first, again] = prompts('ivan');
    for (const [steps, status] of [
      [[{ wait: first, send: 'half a pass\u0003' }], 130],
      [
        [
          { wait: first, send: `${PASSWORD}\r` },
          { wait: again, send: 'half\u0003' },
        ],
        130,
      ],
      [[{ wait: first, send: '\u0004' }], 2],
      [[{ wait: first, send: `${PASSWORD}\r\u0004` }, { wait: again }], 2],
    ] as const) {
      const run = onTerminal(['admin', 'create', 'ivan'], [...steps, { wait: '\n' }]);
      expect(run.timedOut).toBe(false);
      expect(run.status).toBe(status);
      expect(run.terminal).toContain('nothing was changed');
      expect(run.echoAtSteps[0]).toBe(false);
      // Echo is back as soon as the prompt ends, while the command still runs, and after it exits.
      expect(run.echoAtSteps.at(-1)).toBe(true);
      expect(run.echoAfterExit).toBe(true);
    }
    expect(list()).toEqual([]);
    const events = await withStore(async (db) => (await listAudit(db, { limit: 500 })).events);
    expect(events.map((e) => `${e.action} ${e.target} ${e.result}: ${e.detail}`).sort()).toEqual([
      'admin.create name=ivan failed: PROMPT_INTERRUPTED',
      'admin.create name=ivan failed: PROMPT_INTERRUPTED',
      'admin.create name=ivan failed: no password given; nothing was changed',
      'admin.create name=ivan failed: no password given; nothing was changed',
    ]);
  });
});

describe('the terminal prompt when standard input ends or fails', () => {
  beforeEach(() => {
    vi.stubEnv('SIGNET_ADMIN_PASSWORD', '');
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  /** A stand-in terminal for a unit test: a stream with raw mode, the way tty.ReadStream has it. */
  const fakeTerminal = () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true, isRaw: false, modes: [] as boolean[] });
    Object.assign(stdin, {
      setRawMode(flag: boolean) {
        stdin.isRaw = flag;
        stdin.modes.push(flag);
        return stdin;
      },
    });
    vi.spyOn(process, 'stdin', 'get').mockReturnValue(stdin as unknown as typeof process.stdin);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    return stdin;
  };

  it('rejects on end and on error, with raw mode off and no listener left behind', async () => {
    for (const [fail, message] of [
      [(s: PassThrough) => s.end(), /standard input ended before a password was given/],
      [(s: PassThrough) => s.destroy(new Error('EIO')), /could not read the password from the terminal/],
    ] as const) {
      const stdin = fakeTerminal();
      const asked = readNewPassword({ label: 'password for x' });
      stdin.write(`${PASSWORD}\r`);
      await new Promise((resolve) => setImmediate(resolve));
      fail(stdin);
      await expect(asked).rejects.toThrow(message);
      expect(stdin.modes).toEqual([true, false]);
      expect(stdin.listenerCount('data') + stdin.listenerCount('end')).toBe(0);
      vi.restoreAllMocks();
    }
  }, 5_000);

  it('reads a second line sent in the same chunk as the first', async () => {
    const stdin = fakeTerminal();
    const asked = readNewPassword({ label: 'password for x' });
    stdin.write(`${PASSWORD}\r${PASSWORD}\r`);
    await expect(asked).resolves.toBe(PASSWORD);
    expect(stdin.modes).toEqual([true, false]);
  }, 5_000);
});

describe('signet admin list|delete|unlock|password', () => {
  // A dozen signet processes and scrypt logins: slow on a loaded 2-core machine, hence the timeout.
  it(
    'unlocks a locked admin, changes a password, deletes, and audits each',
    { timeout: 120_000 },
    async () => {
      const env = { SIGNET_ADMIN_PASSWORD: PASSWORD };
      expect(signet(['admin', 'create', 'frank'], { env }).status).toBe(0);
      expect(signet(['admin', 'create', 'grace'], { env }).status).toBe(0);
      expect(list().map((a) => a.name)).toEqual(['frank', 'grace']);
      expect(signet(['admin', 'list']).stdout).toMatch(
        /^\d+\tfrank\tlast login never\tunlocked\n\d+\tgrace\t/,
      );

      // Wrong passwords until the store locks frank out.
      for (let i = 0; i < 20 && list()[0]!.lockedUntil === null; i += 1)
        await login('frank', 'wrong password!!');
      expect(list()[0]!.lockedUntil).not.toBeNull();
      expect(signet(['admin', 'unlock', 'frank']).status).toBe(0);
      expect(list()[0]).toMatchObject({ failedLogins: 0, lockedUntil: null });

      const newPassword = `${PASSWORD} (new)`;
      const changed = signet(['admin', 'password', 'frank'], { env: { SIGNET_ADMIN_PASSWORD: newPassword } });
      expect(changed.status).toBe(0);
      expect(changed.stdout + changed.stderr).not.toContain(newPassword);
      expect((await login('frank', newPassword)).ok).toBe(true);

      expect(signet(['admin', 'delete', 'grace']).status).toBe(0);
      expect(list().map((a) => a.name)).toEqual(['frank']);
      for (const verb of ['delete', 'unlock', 'password']) {
        const missing = signet(['admin', verb, 'grace'], { env });
        // A name that does not exist is a failure (1), not a usage mistake (2).
        expect(missing.status).toBe(1);
        expect(missing.stderr).toContain('no admin named grace (ADMIN_NOT_FOUND)');
      }

      const events = await withStore(async (db) => (await listAudit(db, { limit: 500 })).events);
      expect(
        events
          .filter((e) => e.source === 'cli' && e.result === 'ok')
          .map((e) => `${e.action} ${e.target}`)
          .sort(),
      ).toEqual(
        [
          'admin.create name=frank',
          'admin.create name=grace',
          'admin.unlock name=frank',
          'admin.password name=frank',
          'admin.delete name=grace',
        ].sort(),
      );
    },
  );
});
