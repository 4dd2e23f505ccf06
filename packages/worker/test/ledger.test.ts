// The worker's traffic ledger: counters read without reset are folded exactly once, across core
// runs and across a reopen (a worker restart), and every report is saved before it leaves.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TrafficLedger } from '../src/ledger/traffic-ledger.js';

const path = () => join(mkdtempSync(join(tmpdir(), 'signet-ledger-')), 'ledger.json');
const counters = (entries: Record<string, bigint>) => new Map(Object.entries(entries));

describe('TrafficLedger', () => {
  it('adds only what grew since the last read', () => {
    const ledger = TrafficLedger.open(path());
    ledger.fold(
      counters({
        'user>>>a@x>>>traffic>>>downlink': 100n,
        'inbound>>>vless-tcp>>>traffic>>>downlink': 120n,
        'inbound>>>api>>>traffic>>>downlink': 999n,
      }),
    );
    ledger.fold(
      counters({ 'user>>>a@x>>>traffic>>>downlink': 150n, 'inbound>>>vless-tcp>>>traffic>>>downlink': 170n }),
    );
    ledger.fold(counters({ 'user>>>a@x>>>traffic>>>downlink': 150n })); // read twice: nothing new
    expect(ledger.totals()).toEqual({
      node: { up: '0', down: '170' },
      users: { 'a@x': { up: '0', down: '150' } },
    });
  });

  it('starts from zero on a core run the worker announces, and never counts a run it did not', () => {
    const ledger = TrafficLedger.open(path());
    ledger.fold(counters({ 'user>>>a@x>>>traffic>>>uplink': 500n }));
    ledger.coreStarted();
    ledger.fold(counters({ 'user>>>a@x>>>traffic>>>uplink': 700n })); // announced restart: all 700 are new
    ledger.fold(counters({ 'user>>>a@x>>>traffic>>>uplink': 20n })); // unannounced: counter went back
    ledger.fold(counters({ 'user>>>a@x>>>traffic>>>uplink': 50n })); // counted from its new baseline
    expect(ledger.totals().users['a@x']).toEqual({ up: '1230', down: '0' });
  });

  it('survives a reopen with the same boot id, totals, snapshot and sequence', () => {
    const file = path();
    const first = TrafficLedger.open(file);
    first.fold(counters({ 'user>>>a@x>>>traffic>>>uplink': 10n }));
    const report = first.nextReport();
    const again = TrafficLedger.open(file);
    again.fold(counters({ 'user>>>a@x>>>traffic>>>uplink': 10n })); // the same core run, read again
    const next = again.nextReport();
    expect(next.boot_id).toBe(report.boot_id);
    expect(next.seq).toBe(report.seq + 1);
    expect(next.users['a@x']).toEqual({ up: '10', down: '0' });
    expect(JSON.parse(readFileSync(file, 'utf8')).seq).toBe(next.seq);
  });

  it('keeps counts beyond 2^53 exact', () => {
    const ledger = TrafficLedger.open(path());
    ledger.fold(counters({ 'user>>>big>>>traffic>>>downlink': 2n ** 60n + 1n }));
    expect(ledger.totals().users.big!.down).toBe((2n ** 60n + 1n).toString());
  });
});
