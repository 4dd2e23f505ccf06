import { randomBytes } from 'node:crypto';
import type { Fernet } from '@signet/auth';
import { sql, type Kysely } from 'kysely';
import {
  ACCESS_KEY_FORMAT,
  selectAccessKeys,
  toAccessKey,
  type AccessKeyRecord,
} from './access-key-record.js';
import { AccessKeyNotFoundError } from './errors.js';
import { inTransaction } from './lib/transaction.js';
import type { Database } from './schema.js';

/**
 * The key and its decrypted SK, for authenticating a request; undefined for an unknown AK, and
 * without a query for a string that is not an AK's shape. A disabled key is returned too (its
 * `enabled` is false): the caller answers it as disabled.
 */
export async function resolveAccessKey(
  db: Kysely<Database>,
  fernet: Fernet,
  accessKey: string,
): Promise<{ record: AccessKeyRecord; secretKey: string } | undefined> {
  if (typeof accessKey !== 'string' || !ACCESS_KEY_FORMAT.test(accessKey)) return undefined;
  const row = await selectAccessKeys(db).where('access_keys.access_key', '=', accessKey).executeTakeFirst();
  if (row === undefined) return undefined;
  return { record: toAccessKey(row), secretKey: Buffer.from(fernet.decrypt(row.secret)).toString('utf8') };
}

/**
 * A new SK for the same AK; the old SK stops working at once.
 *
 * @throws {AccessKeyNotFoundError}
 */
export async function rotateAccessKey(
  db: Kysely<Database>,
  fernet: Fernet,
  accessKey: string,
  options: { now?: Date } = {},
): Promise<{ record: AccessKeyRecord; secretKey: string }> {
  const secretKey = randomBytes(16).toString('hex');
  const record = await inTransaction(db, async (trx) => {
    const result = await trx
      .updateTable('access_keys')
      .set({ secret: fernet.encrypt(secretKey), rotated_at: (options.now ?? new Date()).getTime() })
      .where('access_key', '=', accessKey)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return undefined;
    return toAccessKey(
      await selectAccessKeys(trx).where('access_keys.access_key', '=', accessKey).executeTakeFirstOrThrow(),
    );
  });
  if (record === undefined) throw new AccessKeyNotFoundError('accessKey: no such access key', { accessKey });
  return { record, secretKey };
}

/** Counts one authenticated use of the key (one UPDATE, so concurrent uses all count). */
export async function recordAccessKeyUse(
  db: Kysely<Database>,
  accessKey: string,
  now: Date = new Date(),
): Promise<void> {
  await db
    .updateTable('access_keys')
    .set({ use_count: sql`use_count + 1`, last_used_at: now.getTime() })
    .where('access_key', '=', accessKey)
    .execute();
}
