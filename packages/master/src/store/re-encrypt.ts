import type { Fernet } from '@signet/auth';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** The store's Fernet-encrypted columns, one row each: table, key column, secret column. */
const ENCRYPTED = [
  { what: 'nodeSecrets', table: 'nodes', key: 'id', column: 'api_secret' },
  { what: 'nodeSecrets', table: 'nodes', key: 'id', column: 'api_secret_next' },
  { what: 'nodeSecrets', table: 'nodes', key: 'id', column: 'api_secret_previous' },
  { what: 'accessKeys', table: 'access_keys', key: 'access_key', column: 'secret' },
  { what: 'jwtKeys', table: 'jwt_keys', key: 'kid', column: 'private_key' },
] as const;

export type ReEncryptCounts = Record<(typeof ENCRYPTED)[number]['what'], number> & {
  /** Secrets that were under the newest key already. */
  readonly current: number;
};

/**
 * Re-encrypts every secret in the store under `fernet`'s first key (`Fernet.rotate`: same plaintext,
 * same timestamp). Each secret is rewritten by a statement of its own that changes it only if it
 * still holds the token that was read, so an interrupted run loses nothing (every token is under the
 * old key or the new one, and the key list opens both) and running again finishes the rest; a
 * secret changed meanwhile (a rotated access key) is left as that change wrote it.
 *
 * @throws {DecryptionFailedError} when a secret opens under none of the keys; what was done stays done.
 */
export async function reEncryptStore(db: Kysely<Database>, fernet: Fernet): Promise<ReEncryptCounts> {
  const counts = { nodeSecrets: 0, accessKeys: 0, jwtKeys: 0, current: 0 };
  for (const { what, table, key, column } of ENCRYPTED) {
    // Dynamic names from the constant table above; Kysely cannot type them, so they are cast once.
    const rows = (await db
      .selectFrom(table)
      .select([`${key} as key`, `${column} as token`] as never[])
      .execute()) as unknown as { key: string | number | bigint; token: string | null }[];
    for (const row of rows) {
      if (row.token === null) continue; // a rotation's column, empty outside one
      const rotated = fernet.rotate(row.token);
      if (rotated === null) {
        counts.current += 1;
        continue;
      }
      const result = await db
        .updateTable(table)
        .set({ [column]: rotated } as never)
        .where(key as never, '=', (typeof row.key === 'bigint' ? Number(row.key) : row.key) as never)
        .where(column as never, '=', row.token as never)
        .executeTakeFirst();
      if (result.numUpdatedRows > 0n) counts[what] += 1;
    }
  }
  return counts;
}
