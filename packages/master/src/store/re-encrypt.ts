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
 * secret changed meanwhile (a rotated access key) is left as that change wrote it. Passes repeat
 * until one finds nothing to do: a token moved meanwhile into a column already passed (a node
 * secret rotation confirmed) is caught by the next.
 *
 * @throws {DecryptionFailedError} when a secret opens under none of the keys; what was done stays done.
 */
export async function reEncryptStore(db: Kysely<Database>, fernet: Fernet): Promise<ReEncryptCounts> {
  const counts = { nodeSecrets: 0, accessKeys: 0, jwtKeys: 0 };
  let rotated = 0;
  // A writer still using only the old key would keep a pass busy: after a few, stop and say so.
  for (let passes = 1; ; passes++) {
    const pass = await reEncryptPass(db, fernet);
    for (const what of Object.keys(counts) as (keyof typeof counts)[]) counts[what] += pass.rotated[what];
    const passRotated = Object.values(pass.rotated).reduce((a, b) => a + b, 0);
    rotated += passRotated;
    if (passRotated === 0) return { ...counts, current: Math.max(0, pass.tokens - rotated) };
    if (passes === 10)
      throw new Error('secrets under the old key keep arriving: is a master running without the new key?');
  }
}

/** One pass over every encrypted column: how many tokens it rotated, by kind, and how many it saw. */
async function reEncryptPass(
  db: Kysely<Database>,
  fernet: Fernet,
): Promise<{ rotated: Record<(typeof ENCRYPTED)[number]['what'], number>; tokens: number }> {
  const rotated = { nodeSecrets: 0, accessKeys: 0, jwtKeys: 0 };
  let tokens = 0;
  for (const { what, table, key, column } of ENCRYPTED) {
    // Dynamic names from the constant table above; Kysely cannot type them, so they are cast once.
    const rows = (await db
      .selectFrom(table)
      .select([`${key} as key`, `${column} as token`] as never[])
      .execute()) as unknown as { key: string | number | bigint; token: string | null }[];
    for (const row of rows) {
      if (row.token === null) continue; // a rotation's column, empty outside one
      tokens += 1;
      const token = fernet.rotate(row.token);
      if (token === null) continue;
      const result = await db
        .updateTable(table)
        .set({ [column]: token } as never)
        .where(key as never, '=', (typeof row.key === 'bigint' ? Number(row.key) : row.key) as never)
        .where(column as never, '=', row.token as never)
        .executeTakeFirst();
      if (result.numUpdatedRows > 0n) rotated[what] += 1;
    }
  }
  return { rotated, tokens };
}
