import type { Kysely } from 'kysely';
import { readBigInt, readNumber } from './lib/integers.js';
import type { Database, TrafficResolution } from './schema.js';

export type { TrafficResolution } from './schema.js';

/** Each resolution's bucket length, and how long its buckets are kept (a little beyond what is shown). */
export const TRAFFIC_RESOLUTIONS: Readonly<Record<TrafficResolution, { bucketMs: number; keepMs: number }>> =
  Object.freeze({
    minute: { bucketMs: 60_000, keepMs: 2 * 3_600_000 },
    hour: { bucketMs: 3_600_000, keepMs: 2 * 86_400_000 },
    day: { bucketMs: 86_400_000, keepMs: 62 * 86_400_000 },
  });

const RESOLUTIONS = Object.keys(TRAFFIC_RESOLUTIONS) as TrafficResolution[];

export interface TrafficBucket {
  readonly nodeId: number;
  /** The bucket's first moment (UTC: days start at midnight UTC). */
  readonly start: Date;
  readonly up: bigint;
  readonly down: bigint;
}

/** The start (ms) of the bucket holding `at`. */
export const bucketStart = (resolution: TrafficResolution, at: number): number =>
  at - (at % TRAFFIC_RESOLUTIONS[resolution].bucketMs);

/**
 * Adds a node's newly counted bytes to the minute, hour and day buckets of `at`; called inside the
 * transaction that counts the report, so history and totals never disagree.
 */
export async function recordTrafficHistory(
  trx: Kysely<Database>,
  nodeId: number,
  delta: { up: bigint; down: bigint },
  at: number,
): Promise<void> {
  await trx
    .insertInto('traffic_history')
    .values(
      RESOLUTIONS.map((resolution) => ({
        node_id: nodeId,
        resolution,
        bucket_start: bucketStart(resolution, at),
        up: delta.up,
        down: delta.down,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['resolution', 'bucket_start', 'node_id']).doUpdateSet((eb) => ({
        up: eb('traffic_history.up', '+', eb.ref('excluded.up')),
        down: eb('traffic_history.down', '+', eb.ref('excluded.down')),
      })),
    )
    .execute();
}

/** The buckets of one resolution starting in [from, to), by time then node; empty buckets are absent. */
export async function trafficHistory(
  db: Kysely<Database>,
  resolution: TrafficResolution,
  range: { from: Date; to: Date },
): Promise<TrafficBucket[]> {
  const rows = await db
    .selectFrom('traffic_history')
    .select(['node_id', 'bucket_start', 'up', 'down'])
    .where('resolution', '=', resolution)
    .where('bucket_start', '>=', range.from.getTime())
    .where('bucket_start', '<', range.to.getTime())
    .orderBy('bucket_start')
    .orderBy('node_id')
    .execute();
  return rows.map((r) =>
    Object.freeze({
      nodeId: readNumber(r.node_id),
      start: new Date(readNumber(r.bucket_start)),
      up: readBigInt(r.up),
      down: readBigInt(r.down),
    }),
  );
}

/** Deletes buckets past their resolution's keep time; returns how many. */
export async function pruneTrafficHistory(db: Kysely<Database>, now = Date.now()): Promise<number> {
  let deleted = 0n;
  for (const resolution of RESOLUTIONS) {
    const result = await db
      .deleteFrom('traffic_history')
      .where('resolution', '=', resolution)
      .where('bucket_start', '<', now - TRAFFIC_RESOLUTIONS[resolution].keepMs)
      .executeTakeFirst();
    deleted += result.numDeletedRows;
  }
  return Number(deleted);
}
