// Traffic accounting, on SQLite and PostgreSQL: every byte a worker reports is counted exactly once,
// whatever happens to the reports (duplicates, retries, reordering, a new ledger), counters that go
// backwards are refused without a trace, and 64-bit counts stay exact past 2^53.
import { describe, expect, it } from 'vitest';
import { applyTrafficReport, createNode, trafficTotals, type TrafficReport } from '../src/store/index.js';
import { storeKinds, useTestStore } from './support/store.js';

const INT64_MAX = 2n ** 63n - 1n;

describe.each(storeKinds())('store traffic (%s)', (kind) => {
  const store = useTestStore(kind);
  const node = async (name = 'edge-1') => (await createNode(store.db, store.fernet, name)).nodeId;
  const report = (
    bootId: string,
    seq: number,
    nodeUp: number | bigint | string,
    nodeDown: number | bigint | string,
    users: Record<string, [number | bigint | string, number | bigint | string]> = {},
  ): TrafficReport => ({
    bootId,
    seq,
    node: { up: nodeUp, down: nodeDown },
    users: Object.fromEntries(Object.entries(users).map(([email, [up, down]]) => [email, { up, down }])),
  });
  const totals = async (nodeId: number) =>
    Object.fromEntries((await trafficTotals(store.db, { nodeId })).map((t) => [t.email, [t.up, t.down]]));

  it('counts the growth of cumulative counters, per user and for the node', async () => {
    const id = await node();
    expect(
      await applyTrafficReport(store.db, id, report('b1', 1, 100, 1000, { 'a@x.io': [10, 100] })),
    ).toEqual({
      applied: true,
    });
    await applyTrafficReport(
      store.db,
      id,
      report('b1', 2, 150, 1500, { 'a@x.io': [15, 150], 'b@x.io': [1, 2] }),
    );
    expect(await totals(id)).toEqual({ '': [150n, 1500n], 'a@x.io': [15n, 150n], 'b@x.io': [1n, 2n] });
  });

  it('ignores duplicates, retries and stale reports (seq not above the last)', async () => {
    const id = await node();
    await applyTrafficReport(store.db, id, report('b1', 1, 100, 100, { 'a@x.io': [10, 10] }));
    await applyTrafficReport(store.db, id, report('b1', 5, 500, 500, { 'a@x.io': [50, 50] }));
    const after = await totals(id);
    for (const r of [
      report('b1', 5, 500, 500, { 'a@x.io': [50, 50] }), // duplicate
      report('b1', 1, 100, 100, { 'a@x.io': [10, 10] }), // retry of an old one
      report('b1', 3, 300, 300, { 'a@x.io': [30, 30] }), // arrives after a later one
      report('b1', 4, 999, 999, { 'a@x.io': [99, 99] }), // stale, whatever it says
    ]) {
      expect(await applyTrafficReport(store.db, id, r)).toEqual({ applied: false });
    }
    expect(await totals(id)).toEqual(after);
    expect(after).toEqual({ '': [500n, 500n], 'a@x.io': [50n, 50n] });
  });

  it('counts a new boot id from zero, and a late report of the old one by its own ledger', async () => {
    const id = await node();
    await applyTrafficReport(store.db, id, report('b1', 1, 100, 100, { 'a@x.io': [10, 10] }));
    await applyTrafficReport(store.db, id, report('b2', 1, 7, 7, { 'a@x.io': [1, 1] }));
    expect(await totals(id)).toEqual({ '': [107n, 107n], 'a@x.io': [11n, 11n] });
    await applyTrafficReport(store.db, id, report('b1', 2, 120, 130, { 'a@x.io': [12, 13] }));
    expect(await totals(id)).toEqual({ '': [127n, 137n], 'a@x.io': [13n, 14n] });
  });

  it('keeps a user left out of a report at its last value', async () => {
    const id = await node();
    await applyTrafficReport(store.db, id, report('b1', 1, 10, 10, { 'a@x.io': [5, 5] }));
    await applyTrafficReport(store.db, id, report('b1', 2, 20, 20));
    await applyTrafficReport(store.db, id, report('b1', 3, 30, 30, { 'a@x.io': [8, 9] }));
    expect(await totals(id)).toEqual({ '': [30n, 30n], 'a@x.io': [8n, 9n] });
  });

  it('refuses a counter going backwards within a boot id, changing nothing', async () => {
    const id = await node();
    await applyTrafficReport(store.db, id, report('b1', 1, 100, 100, { 'a@x.io': [10, 10] }));
    const before = await totals(id);
    for (const r of [
      report('b1', 2, 99, 200, { 'a@x.io': [20, 20] }),
      report('b1', 2, 200, 200, { 'a@x.io': [20, 9] }),
    ]) {
      await expect(applyTrafficReport(store.db, id, r)).rejects.toMatchObject({
        code: 'TRAFFIC_COUNTER_DECREASED',
        details: { nodeId: id, bootId: 'b1' },
      });
    }
    expect(await totals(id)).toEqual(before);
    // seq 2 was not consumed by the refused reports: a correct one is still counted.
    expect(await applyTrafficReport(store.db, id, report('b1', 2, 200, 200, { 'a@x.io': [20, 20] }))).toEqual(
      {
        applied: true,
      },
    );
    expect(await totals(id)).toEqual({ '': [200n, 200n], 'a@x.io': [20n, 20n] });
  });

  it('refuses malformed reports, changing nothing', async () => {
    const id = await node();
    const bad: unknown[] = [
      { ...report('b1', 1, 1, 1), bootId: '' },
      { ...report('b1', 1, 1, 1), bootId: 'has space' },
      { ...report('b1', 1, 1, 1), seq: -1 },
      { ...report('b1', 1, 1, 1), seq: 1.5 },
      report('b1', 1, -1, 1),
      report('b1', 1, 1.5, 1),
      report('b1', 1, 2 ** 53, 1), // an unsafe number has already lost precision
      report('b1', 1, '1e3', 1),
      report('b1', 1, '01', 1),
      report('b1', 1, (INT64_MAX + 1n).toString(), 1),
      report('b1', 1, 1, 1, { '': [1, 1] }),
      { ...report('b1', 1, 1, 1), users: [] },
      { bootId: 'b1', seq: 1, node: { up: 1 } },
      null,
    ];
    for (const r of bad) {
      await expect(applyTrafficReport(store.db, id, r as TrafficReport)).rejects.toMatchObject({
        code: 'TRAFFIC_REPORT_INVALID',
      });
    }
    expect(await totals(id)).toEqual({});
    expect(await applyTrafficReport(store.db, id, report('b1', 1, 1, 1))).toEqual({ applied: true });
  });

  it('refuses a report for an unknown node', async () => {
    await expect(applyTrafficReport(store.db, 999_999, report('b1', 1, 1, 1))).rejects.toMatchObject({
      code: 'NODE_NOT_FOUND',
    });
  });

  it('keeps counts beyond 2^53 exact, up to the 64-bit limit', async () => {
    const id = await node();
    const big = 2n ** 53n + 1n; // 9007199254740993: a double would read 9007199254740992
    await applyTrafficReport(store.db, id, report('b1', 1, big, big.toString(), { 'a@x.io': [big, 3] }));
    await applyTrafficReport(
      store.db,
      id,
      report('b1', 2, big + 2n, (big + 4n).toString(), { 'a@x.io': [big * 2n, 3] }),
    );
    await applyTrafficReport(store.db, id, report('b2', 1, '9007199254740993', 0));
    expect(await totals(id)).toEqual({
      '': [2n * big + 2n, big + 4n],
      'a@x.io': [2n * big, 3n],
    });
    const other = await node('edge-2');
    await applyTrafficReport(store.db, other, report('b1', 1, INT64_MAX - 1n, 0));
    await applyTrafficReport(
      store.db,
      other,
      report('b1', (2n ** 62n) as unknown as number, INT64_MAX, INT64_MAX),
    );
    expect(await totals(other)).toEqual({ '': [INT64_MAX, INT64_MAX] });
    // And the raw column holds the integer itself, not a rounded float.
    const raw = await store.db
      .selectFrom('traffic_totals')
      .select('up')
      .where('node_id', '=', other)
      .executeTakeFirstOrThrow();
    expect(String(raw.up)).toBe('9223372036854775807');
  });

  it('counts one of many identical concurrent reports, and a burst of racing seqs once', async () => {
    const id = await node();
    const same = report('b1', 1, 100, 200, { 'a@x.io': [10, 20] });
    const results = await Promise.all(
      Array.from({ length: 8 }, () => applyTrafficReport(store.db, id, same)),
    );
    expect(results.filter((r) => r.applied)).toHaveLength(1);
    // Racing seqs 2..9 land in any order and some are skipped as stale; since each carries the
    // cumulative total, a final seq 10 must leave exactly its own figures (more would be a double count).
    const burst = Array.from({ length: 8 }, (_, i) =>
      report('b1', i + 2, 100 * (i + 2), 200 * (i + 2), { 'a@x.io': [10 * (i + 2), 20 * (i + 2)] }),
    );
    await Promise.all(burst.map((r) => applyTrafficReport(store.db, id, r)));
    await applyTrafficReport(store.db, id, report('b1', 10, 1000, 2000, { 'a@x.io': [100, 200] }));
    expect(await totals(id)).toEqual({ '': [1000n, 2000n], 'a@x.io': [100n, 200n] });
  });

  it('filters totals by node and by email', async () => {
    const a = await node('edge-1');
    const b = await node('edge-2');
    await applyTrafficReport(store.db, a, report('x', 1, 5, 5, { 'u@x.io': [1, 1] }));
    await applyTrafficReport(store.db, b, report('x', 1, 7, 7, { 'u@x.io': [2, 2], 'v@x.io': [3, 3] }));
    expect(await trafficTotals(store.db, { email: 'u@x.io' })).toEqual([
      { nodeId: a, email: 'u@x.io', up: 1n, down: 1n },
      { nodeId: b, email: 'u@x.io', up: 2n, down: 2n },
    ]);
    expect(await trafficTotals(store.db, { email: '' })).toEqual([
      { nodeId: a, email: '', up: 5n, down: 5n },
      { nodeId: b, email: '', up: 7n, down: 7n },
    ]);
    expect(await trafficTotals(store.db, { nodeId: b, email: 'v@x.io' })).toEqual([
      { nodeId: b, email: 'v@x.io', up: 3n, down: 3n },
    ]);
    expect(await trafficTotals(store.db)).toHaveLength(5);
  });

  it('applies a report with many users in one transaction', async () => {
    const id = await node();
    const users = Object.fromEntries(
      Array.from({ length: 1200 }, (_, i) => [`u${i}@x.io`, [i, 2 * i] as [number, number]]),
    );
    await applyTrafficReport(store.db, id, report('b1', 1, 1, 1, users));
    const rows = await trafficTotals(store.db, { nodeId: id });
    expect(rows).toHaveLength(1200); // u0 has zero growth: no row; plus the node's own row
    expect(rows.find((r) => r.email === 'u1199@x.io')).toMatchObject({ up: 1199n, down: 2398n });
  });
});
