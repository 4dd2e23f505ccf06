import { createHash } from 'node:crypto';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Fernet, generateFernetKey, KeyInvalidError } from '@signet/auth';
import { loadEncryptionKeys, type LoadEncryptionKeysOptions } from '../src/config/encryption-key.js';

const posix = process.platform !== 'win32';
let dir: string;
let logs: { level: string; msg: string }[];
let secrets: string[]; // every key and passphrase a test used: none may appear in a log message

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'signet-encryption-key-'));
  logs = [];
  secrets = [];
});

afterEach(() => {
  for (const { msg } of logs) for (const secret of secrets) expect(msg).not.toContain(secret);
  rmSync(dir, { recursive: true, force: true });
});

function key(): string {
  const k = generateFernetKey();
  secrets.push(k);
  return k;
}

function load(options: Partial<LoadEncryptionKeysOptions> = {}) {
  const result = loadEncryptionKeys({
    env: {},
    dataDir: join(dir, 'data'),
    log: (level, msg) => logs.push({ level, msg }),
    ...options,
  });
  secrets.push(...result.keys);
  return result;
}

function config(value: unknown): string {
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(value));
  return file;
}

function keyFile(content: string): string {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const file = join(dir, 'data', 'encryption.key');
  writeFileSync(file, content, { mode: 0o600 });
  return file;
}

function fingerprint(k: string): string {
  const standard = Buffer.from(k.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return createHash('sha256').update(standard).digest('hex').slice(0, 16);
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('loadEncryptionKeys: precedence', () => {
  it('ENCRYPTION_KEY wins over the config file and the key file', () => {
    const [env, cfg, file] = [key(), key(), key()];
    keyFile(`${file}\n`);
    const result = load({ env: { ENCRYPTION_KEY: env }, configFile: config({ encryptionKey: cfg }) });
    expect(result).toEqual({ keys: [env], source: 'env', fingerprint: fingerprint(env) });
  });

  it('ENCRYPTION_KEY may list keys for rotation, newest first', () => {
    const [newest, older] = [key(), key()];
    const result = load({ env: { ENCRYPTION_KEY: `${newest}, ${older}` } });
    expect(result.keys).toEqual([newest, older]);
    expect(result.fingerprint).toBe(fingerprint(newest));
    expect(new Fernet(result.keys).decryptText(new Fernet(older).encrypt('kept'))).toBe('kept');
  });

  it('the config file wins over the key file, as a string or a list', () => {
    const [a, b, file] = [key(), key(), key()];
    keyFile(file);
    expect(load({ configFile: config({ encryptionKey: a }) })).toMatchObject({ keys: [a], source: 'config' });
    expect(load({ configFile: config({ encryptionKey: [b, a] }) })).toMatchObject({
      keys: [b, a],
      source: 'config',
    });
  });

  it('an empty ENCRYPTION_KEY or encryptionKey falls through, as in the specification', () => {
    const file = key();
    keyFile(file);
    const result = load({ env: { ENCRYPTION_KEY: '' }, configFile: config({ encryptionKey: '' }) });
    expect(result).toEqual({ keys: [file], source: 'file', fingerprint: fingerprint(file) });
  });
});

describe('loadEncryptionKeys: the key file', () => {
  it('is generated once, mode 0600 in a 0700 directory, announced by path, and loaded again', () => {
    const dataDir = join(dir, 'nested', 'data');
    const first = load({ dataDir });
    expect(first.source).toBe('generated');
    const file = join(dataDir, 'encryption.key');
    expect(readFileSync(file, 'utf8').trim()).toBe(first.keys[0]);
    expect(readdirSync(dataDir)).toEqual(['encryption.key']); // no temporary file left behind
    if (posix) {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    }
    expect(logs.some(({ level, msg }) => level === 'warn' && msg.includes(file))).toBe(true);

    const second = load({ dataDir });
    expect(second).toEqual({ keys: first.keys, source: 'file', fingerprint: first.fingerprint });
    expect(first.fingerprint).toBe(fingerprint(first.keys[0] as string));
  });

  it.each([
    ['garbage', 'not a key\n'],
    ['empty', ''],
    ['a truncated key', generateFernetKey().slice(0, 40)],
  ])('%s content is an error naming the file, and the file is left as it was', (_, content) => {
    const file = keyFile(content);
    const error = thrown(() => load());
    expect(error).toBeInstanceOf(KeyInvalidError);
    expect(error.message).toContain(file);
    expect(readFileSync(file, 'utf8')).toBe(content);
  });

  it('an unreadable key file is an error naming the file', () => {
    const file = join(dir, 'data', 'encryption.key');
    mkdirSync(file, { recursive: true }); // a directory where the file should be
    expect(thrown(() => load()).message).toContain(file);
  });

  it.runIf(posix)('a key file other users can read is refused, naming the file and the chmod', () => {
    const k = key();
    const file = keyFile(k);
    chmodSync(file, 0o644);
    const error = thrown(() => load());
    expect(error.name).toBe('SecretFileExposedError');
    expect(error.message).toBe(
      `the secret file ${file} can be read or changed by other users (mode 0644): run \`chmod 600 ${file}\` (or run \`signet --allow-loose-permissions COMMAND …\`, the flag before the command, to only warn)`,
    );
    expect(error.message).not.toContain(k);
  });

  it.runIf(posix)('with --allow-loose-permissions, the same file is used, with a warning', () => {
    const k = key();
    const file = keyFile(k);
    chmodSync(file, 0o640);
    const warnings: string[] = [];
    const keys = loadEncryptionKeys({
      env: {},
      dataDir: join(dir, 'data'),
      log: () => undefined,
      secretFiles: { allowLoose: true, warn: (message) => warnings.push(message) },
    }).keys;
    expect(keys).toEqual([k]);
    expect(warnings).toEqual([
      `the secret file ${file} can be read or changed by other users (mode 0640); run: chmod 600 ${file}`,
    ]);
  });
});

describe('loadEncryptionKeys: other strings and errors', () => {
  it('derives a key from a passphrase with a warning that never shows it', () => {
    const passphrase = 'correct horse battery staple';
    secrets.push(passphrase);
    const result = load({ env: { ENCRYPTION_KEY: passphrase } });
    const derived = createHash('sha256')
      .update(passphrase)
      .digest('base64')
      .replace(/\+/g, '-')
      .replace(/\//g, '_');
    expect(result.keys).toEqual([derived]);
    expect(logs.some(({ level, msg }) => level === 'warn' && msg.includes('ENCRYPTION_KEY'))).toBe(true);
  });

  it('an empty entry in a list is an error naming the entry', () => {
    const error = thrown(() => load({ env: { ENCRYPTION_KEY: `${key()},,` } }));
    expect(error).toBeInstanceOf(KeyInvalidError);
    expect(error.message).toMatch(/^ENCRYPTION_KEY\[1\]: /);
  });

  it('a config file that is missing, not JSON, or has a wrong type is an error naming it', () => {
    const missing = join(dir, 'missing.json');
    expect(thrown(() => load({ configFile: missing })).message).toContain(missing);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ "encryptionKey": ');
    expect(thrown(() => load({ configFile: broken })).message).toContain(broken);
    const wrong = config({ encryptionKey: 42 });
    expect(thrown(() => load({ configFile: wrong })).message).toContain(wrong);
  });

  it('logs from every source, and no message contains a key', () => {
    const [a, b] = [key(), key()];
    load({ env: { ENCRYPTION_KEY: a } });
    load({ configFile: config({ encryptionKey: [b] }) });
    load();
    load();
    expect(logs.length).toBeGreaterThanOrEqual(4);
    for (const { msg } of logs) for (const secret of secrets) expect(msg).not.toContain(secret);
  });
});
