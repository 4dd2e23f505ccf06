import { randomBytes } from 'node:crypto';
import { temAlgorithmName, type Fernet } from '@signet/auth';
import type { Kysely } from 'kysely';
import {
  ACCESS_KEY_SCOPES,
  OPERATOR_OWNER,
  selectAccessKeys,
  toAccessKey,
  type AccessKeyRecord,
  type AccessKeyScope,
} from './access-key-record.js';
import { AccessKeyInvalidError, AdminNotFoundError } from './errors.js';
import { isForeignKeyViolation, isUniqueViolation } from './lib/constraint-errors.js';
import { isPrintable } from './lib/text.js';
import type { Database } from './schema.js';

// Access keys (AK/SK) for the TEM-AUTH OpenAPI; what request authentication needs is in
// access-key-secrets.ts.
export { type AccessKeyRecord, type AccessKeyScope } from './access-key-record.js';
export { resolveAccessKey, rotateAccessKey, recordAccessKeyUse } from './access-key-secrets.js';

export interface CreateAccessKeyInput {
  /** A TEM algorithm (seed 003's names; `L0.PAINTEXT` is read as `L0.PLAINTEXT`). */
  algorithm: string;
  /** Default 'read-only'. */
  scope?: AccessKeyScope;
  /** The owning admin; null or absent for the built-in operator. */
  ownerAdminId?: number | null;
  /** At most 200 printable characters. */
  description?: string;
  now?: Date;
}

const MAX_DESCRIPTION = 200;

/**
 * Issues a key: a random AK (8 bytes, hex) and SK (16 bytes, hex), as in seed 003. The SK is
 * returned here once and stored only Fernet-encrypted.
 *
 * @throws {AccessKeyInvalidError} / {AdminNotFoundError}
 */
export async function createAccessKey(
  db: Kysely<Database>,
  fernet: Fernet,
  input: CreateAccessKeyInput,
): Promise<{ record: AccessKeyRecord; secretKey: string }> {
  const { algorithm, scope, ownerAdminId, description } = checkInput(input);
  const owner = ownerAdminId === null ? OPERATOR_OWNER : await ownerName(db, ownerAdminId);
  const secretKey = randomBytes(16).toString('hex');
  const base = {
    secret: fernet.encrypt(secretKey),
    algorithm,
    scope,
    owner_admin_id: ownerAdminId,
    description,
    enabled: 1,
    created_at: (input.now ?? new Date()).getTime(),
    use_count: 0,
  };
  for (let attempt = 1; ; attempt++) {
    const row = { ...base, access_key: randomBytes(8).toString('hex') };
    try {
      await db.insertInto('access_keys').values(row).execute();
      const record = toAccessKey({ ...row, last_used_at: null, rotated_at: null, owner_name: owner });
      return { record, secretKey };
    } catch (error) {
      if (isForeignKeyViolation(error)) throw adminNotFound(ownerAdminId);
      // Two equal AKs out of 2^64 are unlikely; a fresh one settles it.
      if (!isUniqueViolation(error) || attempt >= 3) throw error;
    }
  }
}

/** Access keys, newest first: all, or one owner's (`ownerAdminId: null` for the operator's). */
export async function listAccessKeys(
  db: Kysely<Database>,
  filter: { ownerAdminId?: number | null } = {},
): Promise<AccessKeyRecord[]> {
  let query = selectAccessKeys(db);
  if (filter.ownerAdminId === null) query = query.where('access_keys.owner_admin_id', 'is', null);
  else if (filter.ownerAdminId !== undefined)
    query = query.where('access_keys.owner_admin_id', '=', filter.ownerAdminId);
  const records = (await query.execute()).map(toAccessKey);
  return records.sort(
    (a, b) =>
      b.createdAt.getTime() - a.createdAt.getTime() ||
      (a.accessKey < b.accessKey ? 1 : a.accessKey > b.accessKey ? -1 : 0),
  );
}

export async function getAccessKey(db: Kysely<Database>, accessKey: string): Promise<AccessKeyRecord | null> {
  const row = await selectAccessKeys(db).where('access_keys.access_key', '=', accessKey).executeTakeFirst();
  return row === undefined ? null : toAccessKey(row);
}

/** Enables or disables a key; false when there is none. */
export async function setAccessKeyEnabled(
  db: Kysely<Database>,
  accessKey: string,
  enabled: boolean,
): Promise<boolean> {
  if (typeof enabled !== 'boolean') throw new TypeError('enabled: expected a boolean');
  const result = await db
    .updateTable('access_keys')
    .set({ enabled: enabled ? 1 : 0 })
    .where('access_key', '=', accessKey)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteAccessKey(db: Kysely<Database>, accessKey: string): Promise<boolean> {
  const result = await db.deleteFrom('access_keys').where('access_key', '=', accessKey).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

function checkInput(input: CreateAccessKeyInput) {
  if (typeof input !== 'object' || input === null)
    throw new AccessKeyInvalidError('input: expected an object');
  const algorithm = typeof input.algorithm === 'string' ? temAlgorithmName(input.algorithm) : undefined;
  if (algorithm === undefined) throw new AccessKeyInvalidError('algorithm: expected a TEM algorithm name');
  const scope = input.scope ?? 'read-only';
  if (!ACCESS_KEY_SCOPES.includes(scope))
    throw new AccessKeyInvalidError("scope: expected 'read-only' or 'read-write'");
  const ownerAdminId = input.ownerAdminId ?? null;
  if (ownerAdminId !== null && !(Number.isSafeInteger(ownerAdminId) && ownerAdminId >= 1))
    throw new AccessKeyInvalidError('ownerAdminId: expected a positive integer or null');
  const description = input.description ?? '';
  if (typeof description !== 'string' || description.length > MAX_DESCRIPTION || !isPrintable(description))
    throw new AccessKeyInvalidError(`description: expected at most ${MAX_DESCRIPTION} printable characters`);
  return { algorithm, scope, ownerAdminId, description };
}

async function ownerName(db: Kysely<Database>, id: number): Promise<string> {
  const row = await db.selectFrom('admins').select('name').where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw adminNotFound(id);
  return row.name;
}

const adminNotFound = (id: number | null) =>
  new AdminNotFoundError('ownerAdminId: no admin has this id', { ownerAdminId: id });
