import type { Kysely } from 'kysely';
import { NodeNotFoundError, TrafficCounterDecreasedError, TrafficReportInvalidError } from './errors.js';
import { isForeignKeyViolation } from './lib/constraint-errors.js';
import { parseCounter, readBigInt, readNumber } from './lib/integers.js';
import { isPrintable } from './lib/text.js';
import { inTransaction } from './lib/transaction.js';
import type { Database } from './schema.js';
import { MAX_USERS_LIMIT } from './settings.js';
import { recordTrafficHistory } from './traffic-history.js';

/** Byte counters: bigints, safe-integer numbers or decimal strings (as a lossless JSON parser gives). */
export interface TrafficCounters {
  readonly up: bigint | number | string;
  readonly down: bigint | number | string;
}

/**
 * What a worker reports: cumulative totals since its ledger began. `bootId` names the ledger (a new
 * one starts from zero) and `seq` grows with every report of that ledger.
 */
export interface TrafficReport {
  readonly bootId: string;
  readonly seq: bigint | number | string;
  /** The node's own totals. */
  readonly node: TrafficCounters;
  /** Per user (email) totals; a user left out keeps its last reported value. */
  readonly users?: Readonly<Record<string, TrafficCounters>>;
}

export interface TrafficTotal {
  readonly nodeId: number;
  /** The user's email, or '' for the node's own total. */
  readonly email: string;
  readonly up: bigint;
  readonly down: bigint;
}

interface Counted {
  readonly email: string;
  readonly up: bigint;
  readonly down: bigint;
}

const BOOT_ID = /^[\x21-\x7e]{1,128}$/;
const CHUNK = 500;

/**
 * Counts a traffic report exactly once, in one transaction. A report whose `seq` is not above the
 * last one applied for (node, bootId) is a duplicate, a retry or stale: nothing changes and
 * `applied` is false. Otherwise each counter's growth since the last report of the same boot id is
 * added to the totals (the node's own under ''). Two reports racing for one ledger serialize on its
 * row (the guarded upsert below, under `BEGIN IMMEDIATE` on SQLite), so neither is counted twice.
 *
 * @throws {TrafficReportInvalidError} for a malformed report; nothing changed.
 * @throws {TrafficCounterDecreasedError} when a counter went backwards within the boot id; nothing changed.
 * The node's own growth is also added to the traffic history's buckets of `options.now` (default: now).
 *
 * @throws {NodeNotFoundError}
 */
export async function applyTrafficReport(
  db: Kysely<Database>,
  nodeId: number,
  report: TrafficReport,
  options: { now?: number } = {},
): Promise<{ applied: boolean }> {
  if (!Number.isSafeInteger(nodeId) || nodeId < 1)
    throw new RangeError('nodeId: expected a positive integer');
  const { bootId, seq, counted } = parseReport(report);
  return inTransaction(db, async (trx) => {
    // The first statement writes: it takes the ledger's row lock (PostgreSQL) and only moves
    // last_seq forward; no row back means this seq was already seen.
    let advanced: unknown;
    try {
      advanced = await trx
        .insertInto('traffic_marks')
        .values({ node_id: nodeId, boot_id: bootId, last_seq: seq })
        .onConflict((oc) =>
          oc
            .columns(['node_id', 'boot_id'])
            .doUpdateSet((eb) => ({ last_seq: eb.ref('excluded.last_seq') }))
            .where((eb) => eb('traffic_marks.last_seq', '<', eb.ref('excluded.last_seq'))),
        )
        .returning('last_seq')
        .executeTakeFirst();
    } catch (error) {
      if (isForeignKeyViolation(error)) throw new NodeNotFoundError('nodeId: no such node', { nodeId });
      throw error;
    }
    if (advanced === undefined) return { applied: false };

    const previous = await trx
      .selectFrom('traffic_reports')
      .select(['user_email', 'up', 'down'])
      .where('node_id', '=', nodeId)
      .where('boot_id', '=', bootId)
      .execute();
    const last = new Map(
      previous.map((r) => [r.user_email, { up: readBigInt(r.up), down: readBigInt(r.down) }]),
    );
    const changed: { now: Counted; delta: Counted }[] = [];
    for (const now of counted) {
      const before = last.get(now.email) ?? { up: 0n, down: 0n };
      const delta = { email: now.email, up: now.up - before.up, down: now.down - before.down };
      if (delta.up < 0n || delta.down < 0n) {
        throw new TrafficCounterDecreasedError(
          `a cumulative counter went backwards within boot id ${JSON.stringify(bootId)}`,
          { nodeId, bootId, email: now.email },
        );
      }
      if (delta.up !== 0n || delta.down !== 0n) changed.push({ now, delta });
    }

    // Rows in email order ('' first) so concurrent writers lock them in the same order.
    for (let i = 0; i < changed.length; i += CHUNK) {
      const chunk = changed.slice(i, i + CHUNK);
      await trx
        .insertInto('traffic_totals')
        .values(
          chunk.map(({ delta }) => ({
            node_id: nodeId,
            user_email: delta.email,
            up: delta.up,
            down: delta.down,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['node_id', 'user_email']).doUpdateSet((eb) => ({
            up: eb('traffic_totals.up', '+', eb.ref('excluded.up')),
            down: eb('traffic_totals.down', '+', eb.ref('excluded.down')),
          })),
        )
        .execute();
      await trx
        .insertInto('traffic_reports')
        .values(
          chunk.map(({ now }) => ({
            node_id: nodeId,
            boot_id: bootId,
            user_email: now.email,
            up: now.up,
            down: now.down,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['node_id', 'boot_id', 'user_email']).doUpdateSet((eb) => ({
            up: eb.ref('excluded.up'),
            down: eb.ref('excluded.down'),
          })),
        )
        .execute();
    }
    const own = changed.find(({ delta }) => delta.email === '');
    if (own !== undefined) await recordTrafficHistory(trx, nodeId, own.delta, options.now ?? Date.now());
    return { applied: true };
  });
}

/** Traffic totals, optionally of one node and/or one email ('' = the nodes' own totals), by node then email. */
export async function trafficTotals(
  db: Kysely<Database>,
  filter: { nodeId?: number; email?: string } = {},
): Promise<TrafficTotal[]> {
  let query = db.selectFrom('traffic_totals').select(['node_id', 'user_email', 'up', 'down']);
  if (filter.nodeId !== undefined) query = query.where('node_id', '=', filter.nodeId);
  if (filter.email !== undefined) query = query.where('user_email', '=', filter.email);
  const rows = await query.execute();
  return rows
    .map((r) =>
      Object.freeze({
        nodeId: readNumber(r.node_id),
        email: r.user_email,
        up: readBigInt(r.up),
        down: readBigInt(r.down),
      }),
    )
    .sort((a, b) => a.nodeId - b.nodeId || (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
}

function parseReport(report: TrafficReport): { bootId: string; seq: bigint; counted: Counted[] } {
  if (typeof report !== 'object' || report === null) throw invalid('report: expected an object');
  const { bootId, users = {} } = report;
  if (typeof bootId !== 'string' || !BOOT_ID.test(bootId)) {
    throw invalid('report.bootId: expected 1-128 printable ASCII characters');
  }
  const seq = parseCounter(report.seq);
  if (seq === undefined) throw invalid('report.seq: expected a non-negative 64-bit integer');
  if (typeof users !== 'object' || users === null || Array.isArray(users)) {
    throw invalid('report.users: expected an object of email → {up, down}');
  }
  const entries = Object.entries(users);
  if (entries.length > MAX_USERS_LIMIT) throw invalid(`report.users: at most ${MAX_USERS_LIMIT} users`);
  const counted = [counters('', report.node, 'report.node')];
  for (const [email, value] of entries) {
    if (email === '' || email.length > 254 || !isPrintable(email)) {
      throw invalid('report.users: expected emails of 1-254 printable characters as keys');
    }
    counted.push(counters(email, value, 'report.users[…]'));
  }
  counted.sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
  return { bootId, seq, counted };
}

function counters(email: string, value: unknown, name: string): Counted {
  if (typeof value !== 'object' || value === null) throw invalid(`${name}: expected {up, down}`);
  const { up, down } = value as Record<string, unknown>;
  const u = parseCounter(up);
  const d = parseCounter(down);
  if (u === undefined || d === undefined) {
    throw invalid(`${name}: up and down must be non-negative 64-bit integers`);
  }
  return { email, up: u, down: d };
}

function invalid(message: string): TrafficReportInvalidError {
  return new TrafficReportInvalidError(message);
}
