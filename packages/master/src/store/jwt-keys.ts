import { createPrivateKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';
import { DecryptionFailedError, type Fernet } from '@signet/auth';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { sql, type Kysely, type Selectable } from 'kysely';
import { dialectOf } from './lib/dialect.js';
import { readNumber } from './lib/integers.js';
import { inTransaction } from './lib/transaction.js';
import type { Database, JwtKeysTable } from './schema.js';

/** The key that signs the master's JWTs (Ed25519, alg EdDSA) and the JWKS that verifies them. */
export interface JwtSigningKeys {
  readonly kid: string;
  readonly privateKey: KeyObject;
  /** Every unretired key's public JWK, with kid, alg and use. */
  readonly jwks: { readonly keys: JWK[] };
}

/**
 * The signing key (the newest unretired one, by created_at then kid) and the JWKS, creating a key
 * when none is in service. Under the store's write lock, so processes that start together create one
 * key between them and agree on it. Private keys are stored only Fernet-encrypted.
 */
export async function loadJwtKeys(
  db: Kysely<Database>,
  fernet: Fernet,
  options: { now?: Date } = {},
): Promise<JwtSigningKeys> {
  const now = (options.now ?? new Date()).getTime();
  const rows = await inTransaction(db, async (trx) => {
    await lockJwtKeys(trx);
    const current = await unretiredKeys(trx);
    if (current.length > 0) return current;
    await insertKey(trx, fernet, now);
    return unretiredKeys(trx);
  });
  const newest = rows[0] as Selectable<JwtKeysTable>;
  return Object.freeze({
    kid: newest.kid,
    privateKey: decryptPrivateKey(fernet, newest.private_key),
    jwks: Object.freeze({ keys: rows.map(publicJwk) }),
  });
}

/**
 * Adds a new signing key and retires every key older than the one it replaces, so that tokens
 * signed by the previous key still verify until the next rotation. Returns the new kid.
 */
export async function rotateJwtKey(
  db: Kysely<Database>,
  fernet: Fernet,
  options: { now?: Date } = {},
): Promise<string> {
  const now = (options.now ?? new Date()).getTime();
  return inTransaction(db, async (trx) => {
    await lockJwtKeys(trx);
    const [previous] = await unretiredKeys(trx);
    if (previous === undefined) return insertKey(trx, fernet, now);
    await trx
      .updateTable('jwt_keys')
      .set({ retired_at: now })
      .where('retired_at', 'is', null)
      .where('kid', '!=', previous.kid)
      .execute();
    // Strictly newer than the previous key, so it is the one that signs even on a coarse clock.
    return insertKey(trx, fernet, Math.max(now, readNumber(previous.created_at) + 1));
  });
}

/** PostgreSQL: one writer at a time (SQLite's transactions already take the write lock). */
async function lockJwtKeys(trx: Kysely<Database>): Promise<void> {
  if (dialectOf(trx) === 'postgres') await sql`lock table jwt_keys in share row exclusive mode`.execute(trx);
}

/** Newest first. */
async function unretiredKeys(db: Kysely<Database>): Promise<Selectable<JwtKeysTable>[]> {
  const rows = await db.selectFrom('jwt_keys').selectAll().where('retired_at', 'is', null).execute();
  // Sorted here: the kid tie-break by code unit, whatever the database's collation.
  return rows.sort(
    (a, b) =>
      readNumber(b.created_at) - readNumber(a.created_at) || (a.kid < b.kid ? 1 : a.kid > b.kid ? -1 : 0),
  );
}

async function insertKey(db: Kysely<Database>, fernet: Fernet, createdAt: number): Promise<string> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const { kty, crv, x } = publicKey.export({ format: 'jwk' }) as { kty: string; crv: string; x: string };
  const jwk = { kty, crv, x };
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
  await db
    .insertInto('jwt_keys')
    .values({
      kid,
      private_key: fernet.encrypt(pem),
      public_jwk: JSON.stringify(jwk),
      created_at: createdAt,
      retired_at: null,
    })
    .execute();
  return kid;
}

function decryptPrivateKey(fernet: Fernet, token: string): KeyObject {
  let bytes: Uint8Array;
  try {
    bytes = fernet.decrypt(token);
  } catch (cause) {
    // Never regenerated (that would silently sign out everyone and hide a wrong key): say what to do.
    throw new DecryptionFailedError(
      "the store's JWT signing key cannot be decrypted with ENCRYPTION_KEY: start with the key the store was made with (after a change, list the new key first and the old one after it)",
      { cause },
    );
  }
  try {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    // A PKCS#8 PEM, or a private JWK's JSON.
    return text.startsWith('{')
      ? createPrivateKey({ key: JSON.parse(text) as JsonWebKey, format: 'jwk' })
      : createPrivateKey(text);
  } finally {
    bytes.fill(0);
  }
}

function publicJwk(row: Selectable<JwtKeysTable>): JWK {
  const { kty, crv, x } = JSON.parse(row.public_jwk) as { kty: string; crv: string; x: string };
  return Object.freeze({ kty, crv, x, kid: row.kid, alg: 'EdDSA', use: 'sig' });
}
