import type { Kysely } from 'kysely';
import { dialectOf } from '../lib/dialect.js';

/**
 * Pinned node certificates: the SHA-256 (lower-case hex) of the self-signed certificate a worker
 * sent at registration, which every call to its Worker API must be answered with; and when a call
 * last met another certificate (ms; cleared by registering again).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const int64 = dialectOf(db) === 'postgres' ? 'bigint' : 'integer';
  await db.schema.alterTable('nodes').addColumn('tls_fingerprint', 'text').execute();
  await db.schema.alterTable('nodes').addColumn('tls_mismatch_at', int64).execute();
}
