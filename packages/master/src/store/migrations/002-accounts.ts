import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import { dialectOf } from '../lib/dialect.js';

/**
 * Who may use the master's APIs: admin accounts, their access keys (AK/SK), the audit log, the JWT
 * signing keys and the named services that receive service tokens. Times are milliseconds since the
 * epoch, as in 001. Deleting an admin deletes the admin's access keys.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  const int64 = pg ? 'bigint' : 'integer';
  const strict = <T extends string, C extends string>(table: CreateTableBuilder<T, C>) =>
    pg ? table : table.modifyEnd(sql`strict`);
  const serialId =
    (type: 'integer' | 'bigint') =>
    <T extends string, C extends string>(table: CreateTableBuilder<T, C>) =>
      table.addColumn('id', pg ? type : 'integer', (c) =>
        pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
      );
  const scopeCheck = sql`scope in ('read-only', 'read-write')`;

  await strict(
    db.schema
      .createTable('admins')
      .$call(serialId('integer'))
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', int64, (c) => c.notNull())
      .addColumn('last_login_at', int64)
      .addColumn('failed_logins', 'integer', (c) =>
        c
          .notNull()
          .defaultTo(0)
          .check(sql`failed_logins >= 0`),
      )
      .addColumn('locked_until', int64)
      // Web tokens issued before this time (ms) are refused: a password change or logout ends them.
      .addColumn('sessions_valid_after', int64, (c) => c.notNull().defaultTo(0)),
  ).execute();

  await strict(
    db.schema
      .createTable('access_keys')
      .addColumn('access_key', 'text', (c) => c.primaryKey())
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('algorithm', 'text', (c) => c.notNull())
      .addColumn('scope', 'text', (c) => c.notNull().check(scopeCheck))
      .addColumn('owner_admin_id', 'integer', (c) => c.references('admins.id').onDelete('cascade'))
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('enabled', 'integer', (c) =>
        c
          .notNull()
          .defaultTo(1)
          .check(sql`enabled in (0, 1)`),
      )
      .addColumn('created_at', int64, (c) => c.notNull())
      .addColumn('last_used_at', int64)
      .addColumn('use_count', int64, (c) =>
        c
          .notNull()
          .defaultTo(0)
          .check(sql`use_count >= 0`),
      )
      .addColumn('rotated_at', int64),
  ).execute();
  await db.schema.createIndex('access_keys_owner').on('access_keys').column('owner_admin_id').execute();

  await strict(
    db.schema
      .createTable('audit_events')
      .$call(serialId('bigint')) // the table that grows: past 2^31 rows in a long life
      .addColumn('at', int64, (c) => c.notNull())
      .addColumn('actor_kind', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target', 'text')
      .addColumn('source', 'text')
      .addColumn('result', 'text', (c) => c.notNull().check(sql`result in ('ok', 'denied', 'failed')`))
      .addColumn('status', 'integer')
      .addColumn('detail', 'text'),
  ).execute();
  await db.schema.createIndex('audit_events_at').on('audit_events').column('at').execute();
  await db.schema
    .createIndex('audit_events_actor')
    .on('audit_events')
    .columns(['actor_kind', 'actor'])
    .execute();

  await strict(
    db.schema
      .createTable('jwt_keys')
      .addColumn('kid', 'text', (c) => c.primaryKey())
      .addColumn('private_key', 'text', (c) => c.notNull())
      .addColumn('public_jwk', 'text', (c) => c.notNull())
      .addColumn('created_at', int64, (c) => c.notNull())
      .addColumn('retired_at', int64),
  ).execute();

  await strict(
    db.schema
      .createTable('services')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('scope', 'text', (c) => c.notNull().check(scopeCheck))
      .addColumn('created_at', int64, (c) => c.notNull())
      .addColumn('tokens_valid_after', int64, (c) => c.notNull()),
  ).execute();
}
