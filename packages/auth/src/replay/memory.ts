import { ReplayStoreUnavailableError } from '../errors.js';
import type { ReplayStore } from './store.js';

export interface MemoryReplayStoreOptions {
  /**
   * Most live claims held at once. When full, new claims are refused rather than old ones evicted,
   * because evicting a claim before its time would reopen its replay window. Default 1,000,000.
   */
  readonly maxEntries?: number;
  /** The clock in milliseconds. Default `Date.now`. */
  readonly now?: () => number;
}

/** A replay store in this process's memory, bounded by time-to-live. For a single process. */
export class MemoryReplayStore implements ReplayStore {
  private readonly expiries = new Map<string, number>();
  private readonly maxEntries: number;
  private readonly now: () => number;
  private nextSweep = 0;

  constructor(options: MemoryReplayStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1_000_000;
    this.now = options.now ?? Date.now;
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    const expiry = this.expiries.get(key);
    if (expiry !== undefined && expiry > now) return false;
    if (now >= this.nextSweep || this.expiries.size >= this.maxEntries) this.sweep(now, ttlMs);
    if (this.expiries.size >= this.maxEntries) {
      throw new ReplayStoreUnavailableError(
        'replay store is full; refusing rather than forgetting live claims',
      );
    }
    this.expiries.set(key, now + ttlMs);
    return true;
  }

  /** Live claims, for metrics and tests. */
  get size(): number {
    return this.expiries.size;
  }

  // Expired claims are dropped in one pass at most once per TTL (between 1 s and 1 min), so the
  // cost per claim stays constant and memory is bounded by the claims live in any one window.
  private sweep(now: number, ttlMs: number): void {
    for (const [key, expiry] of this.expiries) if (expiry <= now) this.expiries.delete(key);
    this.nextSweep = now + Math.max(1000, Math.min(ttlMs, 60_000));
  }
}
