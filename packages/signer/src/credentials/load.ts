import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import type { Fernet } from '@signet/auth';
import { ConfigLoadFailedError, SignerError } from '../errors.js';
import { PLATFORMS } from '../platforms/index.js';
import type { PreparedKey } from '../platforms/platform.js';
import { type AccountEntry, type CredentialsFile, credentialsSchema } from './format.js';

/** An account ready to sign: its public description and its prepared key. */
export interface LoadedAccount {
  readonly platformId: string;
  readonly accountId: string;
  readonly alias: string;
  readonly status: 'active' | 'inactive';
  readonly environment: string;
  readonly createdAt: string | null;
  readonly key: PreparedKey;
  /** Keyed hash of the decrypted entry, to tell updated accounts from unchanged ones. */
  readonly fingerprint: string;
  /** Hash of the entry as written in the file: an identical entry is reused without decrypting. */
  readonly entryHash: string;
}

export interface LoadedCredentials {
  readonly accounts: ReadonlyMap<string, LoadedAccount>;
  readonly warnings: readonly string[];
}

// Fingerprints compare decrypted entries (re-encrypting a secret changes its token, not the account)
// under a per-process key, so they reveal nothing about the secrets even if they were ever seen.
const FINGERPRINT_KEY = randomBytes(32);

export const accountKey = (platformId: string, accountId: string): string => `${platformId}/${accountId}`;

const validate = new Ajv({
  allErrors: false,
  formats: { 'date-time': (s: string) => !Number.isNaN(Date.parse(s)) },
}).compile<CredentialsFile>(credentialsSchema);

/**
 * Reads, validates and decrypts a credentials file into prepared keys, all or nothing: any problem
 * throws ConfigLoadFailedError naming the account and field (never a value), and the caller keeps
 * serving what it had.
 */
export async function loadCredentials(
  path: string,
  fernet: Fernet,
  previous: ReadonlyMap<string, LoadedAccount> = new Map(),
): Promise<LoadedCredentials & { fileHash: string }> {
  let parsed: unknown;
  let fileHash: string;
  try {
    const text = await readFile(path, 'utf8');
    fileHash = createHash('sha256').update(text).digest('hex');
    parsed = JSON.parse(text);
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? 'not valid JSON';
    throw new ConfigLoadFailedError(`cannot read credentials file: ${reason}`, { path }, { cause });
  }
  if (!validate(parsed)) {
    const error = validate.errors?.[0];
    throw new ConfigLoadFailedError(
      `credentials file is invalid at ${error?.instancePath || '/'}: ${error?.message ?? ''}`,
      { path },
    );
  }
  const accounts = new Map<string, LoadedAccount>();
  const warnings: string[] = [];
  let prepared = 0;
  for (const entry of parsed.accounts) {
    const key = accountKey(entry.platformId, entry.accountId);
    if (accounts.has(key)) throw new ConfigLoadFailedError(`account ${key} is listed twice`, { path });
    const entryHash = createHash('sha256').update(JSON.stringify(entry)).digest('hex');
    const unchanged = previous.get(key);
    if (unchanged?.entryHash === entryHash) {
      accounts.set(key, unchanged);
      continue;
    }
    accounts.set(key, loadAccount(entry, entryHash, fernet, warnings));
    // Preparing keys is CPU work: let requests in between, so signing never pauses for long.
    if (++prepared % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return { accounts, warnings, fileHash };
}

function loadAccount(
  entry: AccountEntry,
  entryHash: string,
  fernet: Fernet,
  warnings: string[],
): LoadedAccount {
  const where = accountKey(entry.platformId, entry.accountId);
  const platform = PLATFORMS[entry.platformId];
  if (!platform)
    throw new ConfigLoadFailedError(`account ${where}: platform ${entry.platformId} is not supported`);
  const secrets: Record<string, string> = {};
  for (const [field, value] of Object.entries(entry.secrets)) {
    if (typeof value === 'string') {
      try {
        secrets[field] = Buffer.from(fernet.decrypt(value)).toString('utf8');
      } catch (cause) {
        throw new ConfigLoadFailedError(
          `account ${where}: secret ${field} does not decrypt under ENCRYPTION_KEY`,
          {},
          { cause },
        );
      }
    } else {
      warnings.push(
        `account ${where}: secret ${field} is stored in plaintext; encrypt it with \`signet secret encrypt\``,
      );
      secrets[field] = value.plaintext;
    }
  }
  let key: PreparedKey;
  try {
    key = platform.prepare({
      platformId: entry.platformId,
      accountId: entry.accountId,
      keyType: entry.keyType,
      secrets,
    });
  } catch (cause) {
    // Platform messages name the field, never its value; anything else is reported generically.
    const reason = cause instanceof SignerError ? cause.message : 'its key material is unusable';
    throw new ConfigLoadFailedError(`account ${where}: ${reason}`, {}, { cause });
  }
  return {
    platformId: entry.platformId,
    accountId: entry.accountId,
    alias: entry.alias ?? entry.accountId,
    status: entry.status,
    environment: entry.environment ?? 'production',
    createdAt: entry.createdAt ?? null,
    key,
    fingerprint: createHmac('sha256', FINGERPRINT_KEY)
      .update(JSON.stringify({ ...entry, secrets }))
      .digest('hex'),
    entryHash,
  };
}
