const MINUTE_MS = 60_000;

interface Window {
  start: number;
  recorded: number;
  skipped: number;
}

/**
 * How many refused, unauthenticated requests from one address the audit log records a minute.
 * Past the budget they are only counted, and the count is recorded with the address's next
 * refusal, so a flood of forged requests cannot grow the store without bound. Memory is bounded
 * too: past `maxSources` addresses in one minute, the oldest counts are forgotten.
 */
export class RefusalBudget {
  readonly #windows = new Map<string, Window>();

  constructor(
    private readonly perMinute = 30,
    private readonly maxSources = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether to record this refusal, and how many from the address went unrecorded before it. */
  take(source: string): { record: boolean; skippedBefore: number } {
    const now = this.now();
    let window = this.#windows.get(source);
    let skippedBefore = 0;
    if (window === undefined || now - window.start >= MINUTE_MS) {
      skippedBefore = window?.skipped ?? 0;
      if (window === undefined && this.#windows.size >= this.maxSources) {
        const oldest = this.#windows.keys().next().value;
        if (oldest !== undefined) this.#windows.delete(oldest);
      }
      this.#windows.delete(source); // re-inserted last: the map stays in order of first use
      window = { start: now, recorded: 0, skipped: 0 };
      this.#windows.set(source, window);
    }
    if (window.recorded >= this.perMinute) {
      window.skipped++;
      return { record: false, skippedBefore };
    }
    window.recorded++;
    return { record: true, skippedBefore };
  }
}
