import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '@signet/server';

/** Cumulative bytes, as decimal strings on disk and on the wire so no count is ever rounded. */
export interface Bytes {
  up: string;
  down: string;
}

/** What a heartbeat carries: cumulative totals since this ledger began, and its identity. */
export interface TrafficReport {
  /** Identifies this ledger; the master keeps a separate cumulative per boot id. */
  readonly boot_id: string;
  /** Increases with every report; the master ignores a report it has already applied. */
  readonly seq: number;
  readonly node: Bytes;
  readonly users: Record<string, Bytes>;
}

interface LedgerFile {
  version: 1;
  bootId: string;
  seq: number;
  node: Bytes;
  users: Record<string, Bytes>;
  /** The core's counters as last read, since the core's current run began (they start at zero). */
  snapshot: Record<string, string>;
}

const USER = /^user>>>(.+)>>>traffic>>>(uplink|downlink)$/;
const INBOUND = /^inbound>>>(.+)>>>traffic>>>(uplink|downlink)$/;

/**
 * The node's traffic ledger on disk. The core's counters are read without reset and compared with
 * the last snapshot, so a crash between reading and saving loses nothing (the next read sees the
 * same counters again); the supervisor tells the ledger when a core run begins, since counters
 * restart at zero. Totals only grow; every change is saved durably before it is reported.
 */
export class TrafficLedger {
  private constructor(
    private readonly path: string,
    private state: LedgerFile,
  ) {}

  static open(path: string): TrafficLedger {
    let state: LedgerFile;
    try {
      state = JSON.parse(readFileSync(path, 'utf8')) as LedgerFile;
      if (state.version !== 1) throw new Error(`${path}: unknown ledger version`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      state = { version: 1, bootId: randomUUID(), seq: 0, node: zero(), users: {}, snapshot: {} };
      writeFileAtomic(path, JSON.stringify(state));
    }
    return new TrafficLedger(path, state);
  }

  /** Folds the core's current counters into the totals. Inbound `api` (the local API) is not traffic. */
  fold(counters: ReadonlyMap<string, bigint>): void {
    let changed = false;
    for (const [name, value] of counters) {
      const before = BigInt(this.state.snapshot[name] ?? '0');
      // A counter below its snapshot belongs to a core run the worker did not start (the worker
      // announces every run it starts): take it as the new baseline, count nothing, rather than
      // risk counting another process's bytes.
      const delta = value >= before ? value - before : 0n;
      if (value === before && this.state.snapshot[name] !== undefined) continue;
      this.state.snapshot[name] = value.toString();
      changed = true;
      const direction = name.endsWith('uplink') ? 'up' : 'down';
      const user = USER.exec(name);
      if (user?.[1]) add((this.state.users[user[1]] ??= zero()), direction, delta);
      const inbound = INBOUND.exec(name);
      if (inbound?.[1] && inbound[1] !== 'api') add(this.state.node, direction, delta);
    }
    if (changed) this.save();
  }

  /** A new core run begins: its counters start at zero. */
  coreStarted(): void {
    this.state.snapshot = {};
    this.save();
  }

  /** The next report, with a new sequence number, saved before it is returned. */
  nextReport(): TrafficReport {
    this.state.seq++;
    this.save();
    return structuredClone({
      boot_id: this.state.bootId,
      seq: this.state.seq,
      node: this.state.node,
      users: this.state.users,
    });
  }

  totals(): { node: Bytes; users: Record<string, Bytes> } {
    return structuredClone({ node: this.state.node, users: this.state.users });
  }

  private save(): void {
    writeFileAtomic(this.path, JSON.stringify(this.state));
  }
}

function zero(): Bytes {
  return { up: '0', down: '0' };
}

function add(bytes: Bytes, direction: 'up' | 'down', delta: bigint): void {
  bytes[direction] = (BigInt(bytes[direction]) + delta).toString();
}
