import type { Command } from 'commander';
import { listNodes, trafficTotals } from '@signet/master';
import { defaultDataDir } from '../lib/data-dir.js';
import { withMasterStore } from '../lib/master-store.js';

export function registerTraffic(program: Command): void {
  program
    .command('traffic')
    .description('Traffic counted by the master: bytes per node and per user, exact')
    .option('--data <dir>', "the master's data directory", defaultDataDir())
    .option('--node <name>', 'only this node')
    .option('--user <email>', 'only this user')
    .option('--json', 'print a JSON array (bytes as decimal strings)')
    .action(async (options: { data: string; node?: string; user?: string; json?: boolean }) => {
      const rows = await withMasterStore(options.data, async (db) => {
        const names = new Map((await listNodes(db)).map((n) => [n.id, n.name]));
        const nodeId =
          options.node === undefined
            ? undefined
            : ([...names].find(([, name]) => name === options.node)?.[0] ?? -1);
        const totals = await trafficTotals(db, {
          ...(nodeId === undefined ? {} : { nodeId }),
          ...(options.user === undefined ? {} : { email: options.user }),
        });
        return totals.map((t) => ({
          node: names.get(t.nodeId) ?? String(t.nodeId),
          user: t.email === '' ? null : t.email,
          up: t.up.toString(),
          down: t.down.toString(),
        }));
      });
      process.stdout.write(
        options.json
          ? `${JSON.stringify(rows)}\n`
          : `${rows.map((r) => `${r.node}\t${r.user ?? '(node)'}\tup ${r.up}\tdown ${r.down}`).join('\n')}\n`,
      );
    });
}
