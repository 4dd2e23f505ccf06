// A separate process working on a store, for the tests that race processes (bundled and started by
// store-processes.ts). It prints "ready", waits for "go" on stdin, acts, prints one JSON line.
import { createInterface } from 'node:readline';
import {
  applyTrafficReport,
  openDatabase,
  redeemToken,
  type OpenDatabaseOptions,
  type TrafficReport,
} from '../../src/store/index.js';

export type ChildTask =
  | { action: 'open' }
  | { action: 'redeem'; token: string }
  | { action: 'traffic'; nodeId: number; reports: TrafficReport[] };

export interface ChildRequest {
  options: OpenDatabaseOptions;
  task: ChildTask;
}

const request = JSON.parse(process.env.SIGNET_STORE_CHILD ?? '') as ChildRequest;
const lines = createInterface({ input: process.stdin });
const go = new Promise<void>((resolve) => lines.once('line', () => resolve()));

// Opening is the race itself for 'open'; for the others the store is opened before the start line.
let db = request.task.action === 'open' ? undefined : await openDatabase(request.options);
process.stdout.write('ready\n');
await go;
lines.close();
try {
  db ??= await openDatabase(request.options);
  let result: unknown;
  const task = request.task;
  if (task.action === 'open') result = { opened: true };
  else if (task.action === 'redeem') result = { nodeId: await redeemToken(db, task.token) };
  else {
    const applied: boolean[] = [];
    for (const report of task.reports)
      applied.push((await applyTrafficReport(db, task.nodeId, report)).applied);
    result = { applied };
  }
  process.stdout.write(`${JSON.stringify({ ok: true, result })}\n`);
} catch (error) {
  const e = error as { code?: unknown; message?: unknown };
  process.stdout.write(`${JSON.stringify({ ok: false, code: e.code, message: String(e.message) })}\n`);
} finally {
  await db?.destroy();
}
