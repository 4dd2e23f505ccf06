// `signet admin create|list|delete|unlock|password`, run as processes on a temporary --data store.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { generateFernetKey } from '@signet/auth';
import { listAudit, openDatabase, verifyAdminLogin } from '@signet/master';
import { runCli, SIGNET_BIN, type CliResult } from './run-cli.js';

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
    expect(rows.filter((r) => r.endsWith(' ok'))).toEqual(['admin.create carol ok']);
    expect(rows).toContain('admin.create carol failed');
    for (const e of events) {
      expect(e.actorKind).toBe('operator');
      expect(e.source).toBe('cli');
      expect(JSON.stringify(e)).not.toContain(PASSWORD);
    }
  });

  it('asks twice on a terminal with echo off, and refuses two different answers', () => {
    // A real pseudo-terminal from Python: the test sees exactly what the user's terminal would show.
    const script = `
import os, pty, select, sys
argv = sys.argv[1:]
answers = os.environ["ANSWERS"].split("|")
prompts = os.environ["PROMPTS"].split("|")
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)
seen = b""
def read():
    global seen
    if not select.select([fd], [], [], 10)[0]:
        return False
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        return False
    seen += chunk
    return bool(chunk)
for prompt, answer in zip(prompts, answers):
    while prompt.encode() not in seen and read():
        pass
    os.write(fd, answer.encode() + b"\\r")
while read():
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(str(os.waitstatus_to_exitcode(status)) + "\\n" + seen.decode(errors="replace"))
`;
    const cleanEnv = Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) => !['DATABASE_URL', 'SIGNET_ADMIN_PASSWORD', 'API_SECRET_KEY'].includes(k),
      ),
    );
    const run = (name: string, answers: string[]) => {
      const out = execFileSync(
        'python3',
        ['-c', script, process.execPath, SIGNET_BIN, 'admin', 'create', name, '--data', data],
        {
          env: {
            ...cleanEnv,
            ENCRYPTION_KEY: KEY,
            ANSWERS: answers.join('|'),
            PROMPTS: [`password for ${name}: `, `password for ${name} (again): `].join('|'),
          },
          timeout: 20_000,
        },
      ).toString();
      const [status, ...terminal] = out.split('\n');
      return { status: Number(status), terminal: terminal.join('\n') };
    };
    const typed = run('dora', [PASSWORD, PASSWORD]);
    expect(typed.terminal).toContain('password for dora: ');
    expect(typed.terminal).toContain('password for dora (again): ');
    expect(typed.terminal).not.toContain(PASSWORD);
    expect(typed.terminal).toContain('admin dora');
    expect(typed.status).toBe(0);
    const differ = run('erin', [PASSWORD, `${PASSWORD}x`]);
    expect(differ.status).toBe(2);
    expect(differ.terminal).toContain('differ');
    expect(differ.terminal).not.toContain(PASSWORD);
    expect(list().map((a) => a.name)).toEqual(['dora']);
  });
});

describe('signet admin list|delete|unlock|password', () => {
  it('unlocks a locked admin, changes a password, deletes, and audits each', async () => {
    const env = { SIGNET_ADMIN_PASSWORD: PASSWORD };
    expect(signet(['admin', 'create', 'frank'], { env }).status).toBe(0);
    expect(signet(['admin', 'create', 'grace'], { env }).status).toBe(0);
    expect(list().map((a) => a.name)).toEqual(['frank', 'grace']);
    expect(signet(['admin', 'list']).stdout).toMatch(/^\d+\tfrank\tlast login never\tunlocked\n\d+\tgrace\t/);

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
      expect(missing.status).toBe(2);
      expect(missing.stderr).toContain('no admin named grace');
    }

    const events = await withStore(async (db) => (await listAudit(db, { limit: 500 })).events);
    expect(
      events
        .filter((e) => e.source === 'cli' && e.result === 'ok')
        .map((e) => `${e.action} ${e.target}`)
        .sort(),
    ).toEqual(
      [
        'admin.create frank',
        'admin.create grace',
        'admin.unlock frank',
        'admin.password frank',
        'admin.delete grace',
      ].sort(),
    );
  });
});
