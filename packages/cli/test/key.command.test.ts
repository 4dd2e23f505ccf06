// `signet key create|list|disable|enable|delete|rotate`, run as processes on a temporary --data store.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { generateFernetKey } from '@signet/auth';
import { listAudit, openDatabase, recordAccessKeyUse } from '@signet/master';
import { runCli } from './run-cli.js';

const KEY = generateFernetKey();
let data: string;

const signet = (args: readonly string[], env: Record<string, string | undefined> = {}) =>
  runCli([...args, '--data', data], { env: { ENCRYPTION_KEY: KEY, DATABASE_URL: undefined, ...env } });

interface Created {
  accessKey: string;
  secretKey: string;
  algorithm: string;
}
/**
 * Exactly what `key create --json` and `key rotate --json` print (issue 5's wording), in this order:
 * nothing more, nothing less. Scope and owner are read back with `key list --json`.
 */
const CREATED_KEYS = ['accessKey', 'secretKey', 'algorithm'];
interface Listed {
  accessKey: string;
  algorithm: string;
  scope: string;
  owner: string;
  enabled: boolean;
  lastUsedAt: string | null;
  useCount: number;
}

function create(...args: string[]): Created {
  const result = signet(['key', 'create', ...args, '--json']);
  expect(result.stderr).not.toMatch(/[0-9a-f]{32}/);
  expect(result.status).toBe(0);
  const lines = result.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  const created = JSON.parse(lines[0]!) as Created;
  expect(Object.keys(created)).toStrictEqual(CREATED_KEYS);
  return created;
}

function list(): Listed[] {
  const result = signet(['key', 'list', '--json']);
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as Listed[];
}

const listed = (accessKey: string): Listed | undefined => list().find((k) => k.accessKey === accessKey);

/** Every value of every row of every table in the SQLite store. */
function storedValues(): string[] {
  const db = new Sqlite(join(data, 'master.db'), { readonly: true });
  try {
    const tables = db.prepare("select name from sqlite_master where type = 'table'").all() as {
      name: string;
    }[];
    return tables.flatMap(({ name }) =>
      (db.prepare(`select * from "${name}"`).all() as Record<string, unknown>[]).flatMap((row) =>
        Object.values(row).map(String),
      ),
    );
  } finally {
    db.close();
  }
}

async function withStore<T>(work: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const db = await openDatabase({ dataDir: data });
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

const auditActions = () =>
  withStore(async (db) =>
    (await listAudit(db, { limit: 500 })).events.map((e) => ({
      action: e.action,
      target: e.target,
      result: e.result,
    })),
  );

beforeEach(() => {
  data = join(mkdtempSync(join(tmpdir(), 'signet-key-')), 'data');
});

describe('signet key create', () => {
  it('prints one JSON object with a 16-hex AK, a 32-hex SK and the algorithm, owned by the operator', () => {
    const result = signet(['key', 'create', '--algorithm', 'L3.SHA1', '--json']);
    expect(result.status).toBe(0);
    // The whole line, byte for byte: the three fields in the order and nothing else.
    expect(result.stdout).toMatch(
      /^\{"accessKey":"[0-9a-f]{16}","secretKey":"[0-9a-f]{32}","algorithm":"L3\.SHA1"\}\n$/,
    );
    const created = JSON.parse(result.stdout) as Created;
    expect(Object.keys(created)).toStrictEqual(CREATED_KEYS);
    expect(listed(created.accessKey)).toMatchObject({
      algorithm: 'L3.SHA1',
      scope: 'read-only',
      owner: 'operator',
    });
    const other = create();
    expect(other.algorithm).toBe('L3.SHA256');
    expect(other.accessKey).not.toBe(created.accessKey);
    expect(other.secretKey).not.toBe(created.secretKey);
  });

  it('stores the SK only Fernet-encrypted: in no column and no file in clear, and Python decrypts it', () => {
    const created = create('--scope', 'read-write', '--description', 'ci deploys');
    const values = storedValues();
    expect(values.length).toBeGreaterThan(0);
    expect(values.filter((v) => v.includes(created.secretKey))).toEqual([]);
    for (const file of readdirSync(data))
      expect(readFileSync(join(data, file)).includes(created.secretKey), file).toBe(false);
    const db = new Sqlite(join(data, 'master.db'), { readonly: true });
    const row = db
      .prepare('select secret, scope, description from access_keys where access_key = ?')
      .get(created.accessKey) as { secret: string; scope: string; description: string };
    db.close();
    expect(row.scope).toBe('read-write');
    expect(row.description).toBe('ci deploys');
    const plain = execFileSync(
      'python3',
      [
        '-c',
        'import os,sys; from cryptography.fernet import Fernet; sys.stdout.write(Fernet(os.environ["KEY"]).decrypt(sys.stdin.read().encode()).decode())',
      ],
      { input: row.secret, env: { ...process.env, KEY } },
    ).toString();
    expect(plain).toBe(created.secretKey);
  });

  it('without --json prints the SK once with a warning that it is shown only once', () => {
    const result = signet(['key', 'create']);
    expect(result.status).toBe(0);
    const sk = /secret key: ([0-9a-f]{32})/.exec(result.stdout)?.[1];
    expect(sk).toBeDefined();
    expect(result.stdout).toMatch(/shown only this once/);
    expect(result.stdout.split(sk!).length - 1).toBe(1);
  });

  it('--owner gives the key to an admin; deleting the admin deletes the key', () => {
    const admin = signet(['admin', 'create', 'alice'], { SIGNET_ADMIN_PASSWORD: 'alice password 1' });
    expect(admin.status).toBe(0);
    const owned = create('--owner', 'alice', '--scope', 'read-write');
    expect(listed(owned.accessKey)).toMatchObject({ owner: 'alice', scope: 'read-write' });
    const operators = create();
    expect(list().map((k) => [k.accessKey, k.owner])).toEqual(
      expect.arrayContaining([
        [owned.accessKey, 'alice'],
        [operators.accessKey, 'operator'],
      ]),
    );
    expect(signet(['admin', 'delete', 'alice']).status).toBe(0);
    expect(list().map((k) => k.accessKey)).toEqual([operators.accessKey]);
  });

  it('allows L0 keys with a warning on stderr about --allow-l0-keys', () => {
    const created = create('--algorithm', 'L0.PLAINTEXT');
    expect(created.algorithm).toBe('L0.PLAINTEXT');
    const result = signet(['key', 'create', '--algorithm', 'L0.SHA1', '--json']);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('--allow-l0-keys');
    expect(signet(['key', 'create', '--json']).stderr).not.toContain('--allow-l0-keys');
  });

  it('refuses an unknown algorithm, scope or owner with a clear message and changes nothing', async () => {
    create();
    const before = list();
    // Malformed arguments are usage mistakes (2); an owner that does not exist is a failure (1).
    for (const [args, message, status] of [
      [['--algorithm', 'L9.MD5'], /unknown algorithm "L9.MD5".*L3\.SHA256/, 2],
      [['--scope', 'admin'], /--scope: expected read-only or read-write/, 2],
      [['--owner', 'nobody'], /--owner: no admin named nobody \(ADMIN_NOT_FOUND\)/, 1],
    ] as const) {
      const result = signet(['key', 'create', ...args, '--json']);
      expect(result.status).toBe(status);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    }
    expect(list()).toEqual(before);
    expect((await auditActions()).filter((e) => e.result === 'ok').map((e) => e.action)).toEqual([
      'keys.create',
    ]);
  });
});

describe('signet key list|disable|enable|delete|rotate', () => {
  it('lists keys without ever printing an SK, with last use and count', async () => {
    const a = create();
    const b = create('--algorithm', 'L3.HMAC-SHA256', '--scope', 'read-write');
    const keys = list();
    expect(keys.map((k) => k.accessKey).sort()).toEqual([a.accessKey, b.accessKey].sort());
    const listedB = keys.find((k) => k.accessKey === b.accessKey)!;
    expect(listedB).toMatchObject({ algorithm: 'L3.HMAC-SHA256', scope: 'read-write', owner: 'operator' });
    expect(listedB).toMatchObject({ enabled: true, lastUsedAt: null, useCount: 0 });
    const human = signet(['key', 'list']);
    expect(human.status).toBe(0);
    expect(human.stdout).toContain(a.accessKey);
    expect(human.stdout).toMatch(/last used never\t0 uses/);
    // Two uses, as the OpenAPI records them, show in both forms.
    const used = new Date('2030-01-02T03:04:05.000Z');
    await withStore(async (db) => {
      await recordAccessKeyUse(db, a.accessKey, new Date(used.getTime() - 1000));
      await recordAccessKeyUse(db, a.accessKey, used);
    });
    expect(list().find((k) => k.accessKey === a.accessKey)).toMatchObject({
      lastUsedAt: used.toISOString(),
      useCount: 2,
    });
    expect(signet(['key', 'list']).stdout).toContain(`last used ${used.toISOString()}\t2 uses`);
    for (const output of [
      human.stdout,
      signet(['key', 'list']).stdout,
      signet(['key', 'list', '--json']).stdout,
    ]) {
      expect(output).not.toContain(a.secretKey);
      expect(output).not.toContain(b.secretKey);
    }
  });

  it('disable, enable, delete and rotate change what list shows; rotate prints a new SK once', async () => {
    const a = create();
    const b = create('--scope', 'read-write');
    const enabled = () => Object.fromEntries(list().map((k) => [k.accessKey, k.enabled]));

    expect(signet(['key', 'disable', a.accessKey]).status).toBe(0);
    expect(enabled()).toEqual({ [a.accessKey]: false, [b.accessKey]: true });
    expect(signet(['key', 'list']).stdout).toMatch(new RegExp(`${a.accessKey}\\t.*\\tdisabled\\t`));
    expect(signet(['key', 'enable', a.accessKey]).status).toBe(0);
    expect(enabled()).toEqual({ [a.accessKey]: true, [b.accessKey]: true });

    const rotated = signet(['key', 'rotate', b.accessKey, '--json']);
    expect(rotated.status).toBe(0);
    expect(rotated.stdout.trim().split('\n')).toHaveLength(1);
    const next = JSON.parse(rotated.stdout) as Created;
    expect(Object.keys(next)).toStrictEqual(CREATED_KEYS);
    // Rotation keeps the key's scope and owner; only the SK changes.
    expect(listed(b.accessKey)).toMatchObject({ scope: 'read-write', owner: 'operator' });
    expect(next.accessKey).toBe(b.accessKey);
    expect(next.algorithm).toBe(b.algorithm);
    expect(next.secretKey).toMatch(/^[0-9a-f]{32}$/);
    expect(next.secretKey).not.toBe(b.secretKey);
    expect(storedValues().filter((v) => v.includes(next.secretKey))).toEqual([]);
    expect(signet(['key', 'list']).stdout).not.toContain(next.secretKey);

    expect(signet(['key', 'delete', a.accessKey]).status).toBe(0);
    expect(list().map((k) => k.accessKey)).toEqual([b.accessKey]);

    for (const verb of ['disable', 'enable', 'delete', 'rotate']) {
      const missing = signet(['key', verb, a.accessKey]);
      // An AK that does not exist is a failure (1), not a usage mistake (2).
      expect(missing.status).toBe(1);
      expect(missing.stderr).toContain(`no access key ${a.accessKey} (ACCESS_KEY_NOT_FOUND)`);
    }
    expect(list().map((k) => k.accessKey)).toEqual([b.accessKey]);

    const audit = await auditActions();
    const ok = audit.filter((e) => e.result === 'ok');
    expect(ok.map((e) => `${e.action} ${e.target}`).sort()).toEqual(
      [
        `keys.create accessKey=${a.accessKey}`,
        `keys.create accessKey=${b.accessKey}`,
        `keys.disable accessKey=${a.accessKey}`,
        `keys.enable accessKey=${a.accessKey}`,
        `keys.rotate accessKey=${b.accessKey}`,
        `keys.delete accessKey=${a.accessKey}`,
      ].sort(),
    );
    expect(
      audit
        .filter((e) => e.result === 'failed')
        .map((e) => e.action)
        .sort(),
    ).toEqual(['keys.delete', 'keys.disable', 'keys.enable', 'keys.rotate'].sort());
  });
});
