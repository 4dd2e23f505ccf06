import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../lib/dialect.js';

/**
 * Traffic over time, for the console's charts: each node's own bytes, summed into minute, hour and
 * day buckets (`bucket_start` in ms) as reports are counted. Old buckets are pruned.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = dialectOf(db) === 'postgres';
  const int64 = pg ? 'bigint' : 'integer';
  const table = db.schema
    .createTable('traffic_history')
    .addColumn('node_id', 'integer', (c) => c.notNull().references('nodes.id').onDelete('cascade'))
    .addColumn('resolution', 'text', (c) => c.notNull().check(sql`resolution in ('minute', 'hour', 'day')`))
    .addColumn('bucket_start', int64, (c) => c.notNull())
    .addColumn('up', int64, (c) => c.notNull().check(sql`up >= 0`))
    .addColumn('down', int64, (c) => c.notNull().check(sql`down >= 0`))
    .addPrimaryKeyConstraint('traffic_history_pk', ['resolution', 'bucket_start', 'node_id']);
  await (pg ? table : table.modifyEnd(sql`strict`)).execute();
  await db.schema.createIndex('traffic_history_node').on('traffic_history').column('node_id').execute();
}
