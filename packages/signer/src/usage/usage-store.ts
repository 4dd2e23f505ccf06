import { readFileSync, renameSync } from 'node:fs';
import { writeFileAtomic } from '@signet/server';
import { LatencyHistogram } from './latency-histogram.js';

export interface AccountUsage {
  totalSigns: number;
  lastSignAt: string | null;
  errorCount: number;
}

interface SavedState {
  readonly version: 1;
  readonly accounts: Record<string, AccountUsage>;
  readonly latency: { counts: number[]; total: number; sumMs: number };
  readonly errors: number;
}

/**
 * Usage per account and the service's signing performance, measured on every sign and saved to a
 * JSON file (atomically and durably) every second and at close, so it survives restarts; a crash
 * loses at most the last second of usage (the audit log has every sign).
 */
export class UsageStore {
  private readonly accounts = new Map<string, AccountUsage>();
  readonly latency: LatencyHistogram;
  private errors = 0;
  private dirty = false;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly path: string,
    flushEveryMs = 1000,
  ) {
    const saved = readState(path);
    for (const [key, usage] of Object.entries(saved?.accounts ?? {})) this.accounts.set(key, { ...usage });
    this.latency = saved
      ? new LatencyHistogram(saved.latency.counts, saved.latency.total, saved.latency.sumMs)
      : new LatencyHistogram();
    this.errors = saved?.errors ?? 0;
    this.timer = setInterval(() => this.flush(), flushEveryMs);
    this.timer.unref();
  }

  /** Records one signing attempt of an account that exists. */
  record(account: string, ok: boolean, ms: number, at: Date): void {
    const usage = this.usage(account);
    if (ok) {
      usage.totalSigns++;
      usage.lastSignAt = at.toISOString();
    } else {
      usage.errorCount++;
      this.errors++;
    }
    this.latency.record(ms);
    this.dirty = true;
  }

  usage(account: string): AccountUsage {
    let usage = this.accounts.get(account);
    if (!usage) {
      usage = { totalSigns: 0, lastSignAt: null, errorCount: 0 };
      this.accounts.set(account, usage);
    }
    return usage;
  }

  performance(): { avgSigningTimeMs: number; p99Ms: number; totalSigns: number; errorRate: number } {
    const attempts = this.latency.total;
    return {
      avgSigningTimeMs: this.latency.mean(),
      p99Ms: this.latency.quantile(0.99),
      totalSigns: attempts - this.errors,
      errorRate: attempts === 0 ? 0 : this.errors / attempts,
    };
  }

  flush(): void {
    if (!this.dirty) return;
    const state: SavedState = {
      version: 1,
      accounts: Object.fromEntries(this.accounts),
      latency: { counts: this.latency.counts, total: this.latency.total, sumMs: this.latency.sumMs },
      errors: this.errors,
    };
    try {
      writeFileAtomic(this.path, JSON.stringify(state));
      this.dirty = false;
    } catch (error) {
      // Kept dirty, so the next flush tries again; signing goes on.
      process.emitWarning(
        `usage could not be saved: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      );
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.flush();
  }
}

function readState(path: string): SavedState | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined; // first start
  }
  try {
    const state = JSON.parse(text) as SavedState;
    if (state.version === 1 && state.latency?.counts?.length === LatencyHistogram.BUCKETS) return state;
  } catch {
    // kept aside below
  }
  const aside = `${path}.unreadable-${Date.now()}`;
  renameSync(path, aside);
  process.emitWarning(`usage file was unreadable; kept as ${aside}, counting from zero`);
  return undefined;
}
