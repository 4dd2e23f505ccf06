import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import { dialectOf } from '../lib/dialect.js';

/**
 * The first schema. Times are milliseconds since the epoch; byte counters and sequence numbers are
 * 64-bit integers (BIGINT in PostgreSQL; INTEGER in SQLite, whose STRICT tables refuse a value that
 * would otherwise turn into a float). Deleting a node deletes its tokens and traffic rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  const int64 = pg ? 'bigint' : 'integer';
  // STRICT: SQLite enforces the declared types (no float slipping into a counter).
  const strict = <T extends string, C extends string>(table: CreateTableBuilder<T, C>) =>
    pg ? table : table.modifyEnd(sql`strict`);
  const withNodeId = <T extends string, C extends string>(table: CreateTableBuilder<T, C>) =>
    table.addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id').onDelete('cascade'));

  await strict(
    db.schema
      .createTable('nodes')
      .addColumn('id', 'integer', (c) =>
        pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
      )
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('api_secret', 'text', (c) => c.notNull())
      .addColumn('hidden_path', 'text', (c) => c.notNull())
      .addColumn('settings', 'text', (c) => c.notNull())
      .addColumn('worker_url', 'text')
      .addColumn('core_flavour', 'text')
      .addColumn('core_version', 'text')
      .addColumn('created_at', int64, (c) => c.notNull())
      .addColumn('registered_at', int64)
      .addColumn('last_heartbeat_at', int64)
      .addColumn('last_stats', 'text')
      .addColumn('core_status', 'text')
      .addColumn('config_version', 'text'),
  ).execute();

  await strict(
    db.schema
      .createTable('registration_tokens')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .$call(withNodeId)
      .addColumn('expires_at', int64, (c) => c.notNull())
      .addColumn('used_at', int64),
  ).execute();
  await db.schema
    .createIndex('registration_tokens_node')
    .on('registration_tokens')
    .column('node_id')
    .execute();

  await strict(
    db.schema
      .createTable('proxy_users')
      .addColumn('id', pg ? 'uuid' : 'text', (c) => c.primaryKey())
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('enabled', 'integer', (c) =>
        c
          .notNull()
          .defaultTo(1)
          .check(sql`enabled in (0, 1)`),
      )
      .addColumn('created_at', int64, (c) => c.notNull()),
  ).execute();

  await strict(
    db.schema
      .createTable('traffic_totals')
      .$call(withNodeId)
      .addColumn('user_email', 'text', (c) => c.notNull())
      .addColumn('up', int64, (c) => c.notNull().check(sql`up >= 0`))
      .addColumn('down', int64, (c) => c.notNull().check(sql`down >= 0`))
      .addPrimaryKeyConstraint('traffic_totals_pk', ['node_id', 'user_email']),
  ).execute();
  await db.schema.createIndex('traffic_totals_user').on('traffic_totals').column('user_email').execute();

  await strict(
    db.schema
      .createTable('traffic_reports')
      .$call(withNodeId)
      .addColumn('boot_id', 'text', (c) => c.notNull())
      .addColumn('user_email', 'text', (c) => c.notNull())
      .addColumn('up', int64, (c) => c.notNull().check(sql`up >= 0`))
      .addColumn('down', int64, (c) => c.notNull().check(sql`down >= 0`))
      .addPrimaryKeyConstraint('traffic_reports_pk', ['node_id', 'boot_id', 'user_email']),
  ).execute();

  await strict(
    db.schema
      .createTable('traffic_marks')
      .$call(withNodeId)
      .addColumn('boot_id', 'text', (c) => c.notNull())
      .addColumn('last_seq', int64, (c) => c.notNull().check(sql`last_seq >= 0`))
      .addPrimaryKeyConstraint('traffic_marks_pk', ['node_id', 'boot_id']),
  ).execute();
}
