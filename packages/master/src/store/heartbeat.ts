import type { Kysely, Updateable } from 'kysely';
import { HeartbeatInvalidError } from './errors.js';
import { checkNodeId } from './lib/ids.js';
import { jsonText } from './lib/json-text.js';
import { isPrintable } from './lib/text.js';
import type { Database, NodesTable } from './schema.js';

/** The seed's recommended heartbeat interval: 60 s. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 60_000;
/** A node is online while its last heartbeat is at most this many intervals old. */
export const ONLINE_HEARTBEAT_INTERVALS = 3;

export interface Heartbeat {
  /** The seed's `stats` object (uptime, connections, traffic_up, traffic_down, …). */
  stats?: unknown;
  coreStatus?: string | null | undefined;
  configVersion?: string | null | undefined;
  coreFlavour?: string | null | undefined;
  coreVersion?: string | null | undefined;
  workerUrl?: string | null | undefined;
}

export interface OnlineOptions {
  /** The time "online" is judged at (default: now). */
  now?: Date;
  /** The nodes' heartbeat interval in ms (default 60 000). */
  heartbeatIntervalMs?: number;
}

const MAX_STATS_LENGTH = 16 * 1024;
/** Each text field: its column and its longest accepted value. */
const FIELDS = [
  ['coreStatus', 'core_status', 64],
  ['configVersion', 'config_version', 128],
  ['coreFlavour', 'core_flavour', 32],
  ['coreVersion', 'core_version', 128],
  ['workerUrl', 'worker_url', 2048],
] as const;

/**
 * Records a heartbeat: its time, and each given field (an omitted field keeps its stored value).
 * With `touch` false only the fields are stored, not the time (registration reports the worker's
 * URL and core before its first heartbeat). Returns false when there is no such node.
 *
 * @throws {HeartbeatInvalidError} naming a field of the wrong type or size; nothing is stored.
 */
export async function recordHeartbeat(
  db: Kysely<Database>,
  nodeId: number,
  heartbeat: Heartbeat,
  now: Date = new Date(),
  touch = true,
): Promise<boolean> {
  checkNodeId(nodeId);
  const update: Updateable<NodesTable> = touch ? { last_heartbeat_at: now.getTime() } : {};
  const { stats } = heartbeat;
  if (stats !== undefined) {
    const text =
      typeof stats === 'object' && stats !== null && !Array.isArray(stats)
        ? jsonText(stats, MAX_STATS_LENGTH)
        : undefined;
    if (text === undefined) {
      throw new HeartbeatInvalidError(
        `heartbeat.stats: expected a JSON object of at most ${MAX_STATS_LENGTH} characters`,
      );
    }
    update.last_stats = text;
  }
  for (const [field, column, max] of FIELDS) {
    const value = heartbeat[field];
    if (value === undefined) continue;
    if (value !== null && (typeof value !== 'string' || value.length > max || !isPrintable(value))) {
      throw new HeartbeatInvalidError(
        `heartbeat.${field}: expected a string of at most ${max} printable characters`,
      );
    }
    update[column] = value;
  }
  if (typeof update.worker_url === 'string' && !/^https?:\/\/[^\s/]+/.test(update.worker_url)) {
    throw new HeartbeatInvalidError('heartbeat.workerUrl: expected an http:// or https:// URL');
  }
  if (Object.keys(update).length === 0) {
    return (
      (await db.selectFrom('nodes').select('id').where('id', '=', nodeId).executeTakeFirst()) !== undefined
    );
  }
  const result = await db.updateTable('nodes').set(update).where('id', '=', nodeId).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Online: the last heartbeat is at most 3 heartbeat intervals old at `now`. */
export function isNodeOnline(
  lastHeartbeatAt: Date | null,
  { now = new Date(), heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS }: OnlineOptions = {},
): boolean {
  if (lastHeartbeatAt === null) return false;
  return now.getTime() - lastHeartbeatAt.getTime() <= ONLINE_HEARTBEAT_INTERVALS * heartbeatIntervalMs;
}
