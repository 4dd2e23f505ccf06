import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { fernetKeyFromString, generateFernetKey, KeyInvalidError } from '@signet/auth';
import { checkSecretFileMode, type SecretFilePolicy } from '../files/secret-file.js';

/** The key file's name inside the data directory: one Fernet key per line, newest first. */
export const ENCRYPTION_KEY_FILE = 'encryption.key';

export type EncryptionKeySource = 'env' | 'config' | 'generated' | 'file';

export interface LoadEncryptionKeysOptions {
  env?: Readonly<Record<string, string | undefined>>;
  /** A JSON file whose optional `encryptionKey` is a key or a list of keys; it must exist if given. */
  configFile?: string;
  dataDir: string;
  log: (level: 'info' | 'warn', msg: string) => void;
  /** A key file other users can read is refused unless this allows it (then a warning). */
  secretFiles?: SecretFilePolicy;
}

export interface EncryptionKeys {
  /** Fernet keys, newest (the one to encrypt with) first. */
  keys: string[];
  source: EncryptionKeySource;
  /** First 16 hex characters of SHA-256 of the primary key's 32 bytes: safe to log and show. */
  fingerprint: string;
}

/**
 * The Fernet keys for secrets at rest, from the first of: `ENCRYPTION_KEY` (comma-separated, newest
 * first), the config file's `encryptionKey`, `<dataDir>/encryption.key`; when none is set, a new key
 * is generated into that file. Unlike the specification's loader, a broken key file is an error, never
 * a reason to generate a new key: that would leave every stored secret undecryptable.
 */
export function loadEncryptionKeys(options: LoadEncryptionKeysOptions): EncryptionKeys {
  const { env = process.env, configFile, dataDir, log } = options;
  if (typeof dataDir !== 'string' || dataDir === '') {
    throw new TypeError('dataDir: expected a directory path');
  }
  if (typeof log !== 'function') throw new TypeError('log: expected a function');

  const fromEnv = env['ENCRYPTION_KEY'];
  if (fromEnv) return loaded(toKeys(fromEnv.split(','), 'ENCRYPTION_KEY', log), 'env', 'ENCRYPTION_KEY', log);
  if (configFile !== undefined) {
    const fromConfig = readConfigKeys(configFile);
    if (fromConfig)
      return loaded(toKeys(fromConfig, `${configFile} encryptionKey`, log), 'config', configFile, log);
  }

  const file = join(dataDir, ENCRYPTION_KEY_FILE);
  const fromFile = readKeyFile(file, options.secretFiles) ?? generateKeyFile(file, dataDir, log);
  return loaded(fromFile.keys, fromFile.generated ? 'generated' : 'file', file, log);
}

function loaded(
  keys: string[],
  source: EncryptionKeySource,
  where: string,
  log: LoadEncryptionKeysOptions['log'],
): EncryptionKeys {
  const fingerprint = keyFingerprint(keys[0] as string);
  if (source !== 'generated') {
    log('info', `encryption key: ${keys.length} key(s) from ${where}, primary fingerprint ${fingerprint}`);
  }
  return { keys, source, fingerprint };
}

/** Configured strings to Fernet keys; a passphrase is accepted but derived, with a warning. */
function toKeys(entries: readonly string[], label: string, log: LoadEncryptionKeysOptions['log']): string[] {
  return entries.map((entry, i) => {
    const name = entries.length > 1 ? `${label}[${i}]` : label;
    const value = entry.trim(); // spaces around commas are layout, not key material
    if (value === '') throw new KeyInvalidError(`${name}: empty key`);
    const key = fernetKeyFromString(value);
    if (key !== value) log('warn', `${name} is not a Fernet key; using a key derived from it with SHA-256`);
    return key;
  });
}

function readConfigKeys(file: string): string[] | undefined {
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new Error(`config file ${file}: cannot be read as JSON`, { cause });
  }
  const value =
    typeof config === 'object' && config !== null
      ? (config as Record<string, unknown>)['encryptionKey']
      : undefined;
  if (value === undefined || value === null || value === '') return undefined; // as the spec: unset falls through
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  if (!list.every((k): k is string => typeof k === 'string')) {
    throw new KeyInvalidError(`config file ${file}: encryptionKey must be a string or a list of strings`);
  }
  return list.length > 0 ? list : undefined;
}

/** The keys in the key file, or undefined when there is no file; anything else wrong throws. */
function readKeyFile(file: string, policy: SecretFilePolicy | undefined) {
  checkSecretFileMode(file, policy);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`encryption key file ${file}: cannot be read`, { cause });
  }
  const keys = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  // Only real Fernet keys: this file is written by us, so anything else means it is damaged.
  if (keys.length === 0 || keys.some((key) => fernetKeyFromString(key) !== key)) {
    throw new KeyInvalidError(
      `encryption key file ${file}: does not hold Fernet keys; restore it from a backup`,
    );
  }
  return { keys, generated: false };
}

/**
 * Writes a new key to a temporary file, flushes it, then links it into place. A link, unlike a
 * rename, never replaces a file: if another process created the key file first, its key wins.
 */
function generateKeyFile(file: string, dataDir: string, log: LoadEncryptionKeysOptions['log']) {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = generateFernetKey();
  const temp = `${file}.${randomBytes(8).toString('hex')}.tmp`;
  try {
    writeDurably(temp, `${key}\n`);
    linkSync(temp, file);
  } catch (cause) {
    const raced =
      (cause as NodeJS.ErrnoException).code === 'EEXIST' &&
      (cause as NodeJS.ErrnoException).syscall === 'link';
    const winner = raced ? readKeyFile(file, undefined) : undefined;
    if (winner) return winner;
    throw new Error(`encryption key file ${file}: cannot be written`, { cause });
  } finally {
    rmSync(temp, { force: true });
  }
  syncDirectory(dataDir);
  log(
    'warn',
    `no encryption key was configured: generated one into ${file} (fingerprint ${keyFingerprint(key)}). ` +
      'Back this file up or set ENCRYPTION_KEY: secrets encrypted under it are lost without it.',
  );
  return { keys: [key], generated: true };
}

/** A new file (mode 0600, never an existing one) whose content is on disk before it is used. */
function writeDurably(path: string, content: string): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes the new directory entry durable; not every platform can open a directory, which is fine. */
function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // best effort
  }
}

function keyFingerprint(key: string): string {
  const bytes = Buffer.from(key, 'base64url');
  try {
    return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  } finally {
    bytes.fill(0);
  }
}
