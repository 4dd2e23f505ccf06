import type { Kysely, Transaction } from 'kysely';

/**
 * Runs `fn` in a transaction, or inside the caller's when `db` already is one, so store operations
 * compose (a route may redeem a token and store a secret atomically). On SQLite the transaction is
 * `BEGIN IMMEDIATE` (see sqlite-dialect.ts).
 */
export function inTransaction<DB, T>(db: Kysely<DB>, fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  return db.transaction().execute((trx: Transaction<DB>) => fn(trx));
}
