// Separate processes on one store, on SQLite (one file) and PostgreSQL (one schema): `signet node add`
// runs beside a running master, so opening, migrating, redeeming and counting must hold up when
// processes race. Each child is a real `node` process running the store's sources (bundled by esbuild).
import { describe, expect, it } from 'vitest';
import { Fernet, generateFernetKey } from '@signet/auth';
import { createNode, openDatabase, trafficTotals, type TrafficReport } from '../src/store/index.js';
import { createStoreLocation, storeKinds } from './support/store.js';
import { useStoreProcesses } from './support/store-processes.js';

const PROCESSES = 4;
/** More openers than racers: a fresh SQLite file switched to WAL by many at once is the hard case. */
const OPENERS = 8;

describe.each(storeKinds())('store shared by processes (%s)', (kind) => {
  const processes = useStoreProcesses();
  it('lets processes open and migrate a fresh store at the same moment', async () => {
    const location = await createStoreLocation(kind);
    try {
      const results = await processes.race(
        Array.from({ length: OPENERS }, () => ({
          options: location.options,
          task: { action: 'open' as const },
        })),
      );
      expect(results).toEqual(
        Array.from({ length: OPENERS }, () => ({ ok: true, result: { opened: true } })),
      );
      const db = await openDatabase(location.options);
      try {
        const migrations = await db
          .selectFrom('kysely_migration' as never)
          .selectAll()
          .execute();
        expect(migrations.map((m) => (m as { name: string }).name).sort()).toEqual([
          '001-initial',
          '002-accounts',
          '003-traffic-history',
          '004-node-tls',
          '005-node-secret-rotation',
        ]); // each once
        expect(await db.selectFrom('nodes').selectAll().execute()).toEqual([]);
      } finally {
        await db.destroy();
      }
    } finally {
      await location.dispose();
    }
  });

  it('gives a raced registration token to exactly one process', async () => {
    const location = await createStoreLocation(kind);
    const db = await openDatabase(location.options);
    try {
      const { nodeId, token } = await createNode(db, new Fernet(generateFernetKey()), 'edge-1');
      const results = await processes.race(
        Array.from({ length: PROCESSES }, () => ({
          options: location.options,
          task: { action: 'redeem' as const, token },
        })),
      );
      expect(results.every((r) => r.ok)).toBe(true);
      const winners = results.filter((r) => r.ok && r.result.nodeId !== null);
      expect(winners).toEqual([{ ok: true, result: { nodeId } }]);
    } finally {
      await db.destroy();
      await location.dispose();
    }
  });

  it('counts reports racing from several processes exactly once', async () => {
    const location = await createStoreLocation(kind);
    const db = await openDatabase(location.options);
    try {
      const { nodeId } = await createNode(db, new Fernet(generateFernetKey()), 'edge-1');
      const big = 2n ** 53n;
      // Ledger "shared" is reported by every process: process p sends the seqs i ≡ p (mod 4), each
      // twice (a retry), so different seqs of one ledger race all the time, then all send seq 40.
      // Each process also has a ledger of its own. Byte counts pass 2^53 and travel as decimal strings.
      const at = (bootId: string, seq: number): TrafficReport => ({
        bootId,
        seq,
        node: { up: (big + BigInt(seq) * 1000n).toString(), down: String(seq * 7) },
        users: { 'a@x.io': { up: String(seq * 3), down: (big + BigInt(seq)).toString() } },
      });
      const seqs = Array.from({ length: 40 }, (_, i) => i + 1);
      const results = await processes.race(
        Array.from({ length: PROCESSES }, (_, p) => ({
          options: location.options,
          task: {
            action: 'traffic' as const,
            nodeId,
            reports: [
              ...seqs
                .filter((seq) => seq % PROCESSES === p)
                .flatMap((seq) => [at('shared', seq), at('shared', seq)]),
              at('shared', 40),
              ...seqs.map((seq) => at(`own-${p}`, seq)),
            ],
          },
        })),
      );
      expect(results.every((r) => r.ok)).toBe(true);
      const ledgers = 1n + BigInt(PROCESSES);
      expect(await trafficTotals(db, { nodeId })).toEqual([
        { nodeId, email: '', up: ledgers * (big + 40_000n), down: ledgers * 280n },
        { nodeId, email: 'a@x.io', up: ledgers * 120n, down: ledgers * (big + 40n) },
      ]);
    } finally {
      await db.destroy();
      await location.dispose();
    }
  });
});
