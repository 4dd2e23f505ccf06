import type { Kysely } from 'kysely';
import { dialectOf } from '../lib/dialect.js';

/**
 * Node secret rotation: the next api_secret while the worker has not confirmed it (Fernet), with
 * when the rotation began and the grace its predecessor gets; and the replaced secret (Fernet),
 * still accepted until `api_secret_previous_until` (ms).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const int64 = dialectOf(db) === 'postgres' ? 'bigint' : 'integer';
  for (const [column, type] of [
    ['api_secret_next', 'text'],
    ['api_secret_next_since', int64],
    ['api_secret_next_grace_ms', int64],
    ['api_secret_previous', 'text'],
    ['api_secret_previous_until', int64],
  ] as const) {
    await db.schema.alterTable('nodes').addColumn(column, type).execute();
  }
}
