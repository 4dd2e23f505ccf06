// Traffic over time, on SQLite and PostgreSQL: each counted report's node growth lands in the minute,
// hour and day buckets of the moment it was counted, a duplicate report adds nothing, and old
// buckets are pruned per resolution.
import { describe, expect, it } from 'vitest';
import {
  applyTrafficReport,
  createNode,
  pruneTrafficHistory,
  trafficHistory,
  type TrafficResolution,
} from '../src/store/index.js';
import { storeKinds, useTestStore } from './support/store.js';

// 2026-03-14T15:09:26.535Z: inside a minute, an hour and a day that all started earlier.
const T = Date.UTC(2026, 2, 14, 15, 9, 26, 535);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe.each(storeKinds())('store traffic history (%s)', (kind) => {
  const store = useTestStore(kind);
  const all = (resolution: TrafficResolution) =>
    trafficHistory(store.db, resolution, { from: new Date(0), to: new Date(T + 400 * DAY) });
  const report = (
    seq: number,
    up: number,
    down: number,
    users: Record<string, { up: number; down: number }> = {},
  ) => ({
    bootId: 'boot-1',
    seq,
    node: { up, down },
    users,
  });

  it('puts the growth of each counted report into the buckets of its moment, UTC-aligned', async () => {
    const { nodeId } = await createNode(store.db, store.fernet, 'edge-1');
    await applyTrafficReport(store.db, nodeId, report(1, 100, 1000, { 'a@x.io': { up: 90, down: 900 } }), {
      now: T,
    });
    await applyTrafficReport(store.db, nodeId, report(2, 150, 1600), { now: T + 20_000 }); // same minute
    await applyTrafficReport(store.db, nodeId, report(3, 160, 1700), { now: T + 2 * MINUTE }); // next minutes
    await applyTrafficReport(store.db, nodeId, report(3, 999, 9999), { now: T + 3 * MINUTE }); // duplicate seq

    const minute = await all('minute');
    expect(minute.map((b) => [b.start.toISOString(), b.up, b.down])).toEqual([
      ['2026-03-14T15:09:00.000Z', 150n, 1600n],
      ['2026-03-14T15:11:00.000Z', 10n, 100n],
    ]);
    expect((await all('hour')).map((b) => [b.start.toISOString(), b.up, b.down])).toEqual([
      ['2026-03-14T15:00:00.000Z', 160n, 1700n],
    ]);
    expect((await all('day')).map((b) => [b.nodeId, b.start.toISOString(), b.up, b.down])).toEqual([
      [nodeId, '2026-03-14T00:00:00.000Z', 160n, 1700n],
    ]);
  });

  it('keeps nodes apart, and only a report that changed the node itself adds a bucket', async () => {
    const a = (await createNode(store.db, store.fernet, 'edge-a')).nodeId;
    const b = (await createNode(store.db, store.fernet, 'edge-b')).nodeId;
    await applyTrafficReport(store.db, a, report(1, 5, 6), { now: T });
    await applyTrafficReport(store.db, b, report(1, 7, 8), { now: T });
    await applyTrafficReport(store.db, b, report(2, 7, 8), { now: T + HOUR }); // no growth
    expect((await all('hour')).map((x) => [x.nodeId, x.up, x.down])).toEqual([
      [a, 5n, 6n],
      [b, 7n, 8n],
    ]);
  });

  it('prunes minutes after 2 hours, hours after 2 days, days after 62 days', async () => {
    const { nodeId } = await createNode(store.db, store.fernet, 'edge-1');
    await applyTrafficReport(store.db, nodeId, report(1, 1, 1), { now: T });
    expect(await pruneTrafficHistory(store.db, T + 2 * HOUR - MINUTE)).toBe(0);
    expect(await pruneTrafficHistory(store.db, T + 2 * HOUR)).toBe(1);
    expect(await all('minute')).toEqual([]);
    expect(await pruneTrafficHistory(store.db, T + 2 * DAY + HOUR)).toBe(1);
    expect(await all('hour')).toEqual([]);
    expect(await all('day')).toHaveLength(1);
    expect(await pruneTrafficHistory(store.db, T + 63 * DAY)).toBe(1);
    expect(await all('day')).toEqual([]);
  });
});
