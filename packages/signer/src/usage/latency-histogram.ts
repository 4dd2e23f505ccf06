/**
 * Signing latencies in logarithmic buckets (10% wide, 1 µs to about 100 s), so percentiles are
 * real measurements within 10% at any volume, in constant memory, and the whole histogram can be
 * saved and restored across restarts.
 */
export class LatencyHistogram {
  static readonly BUCKETS = 200;
  private static readonly RATIO = Math.log(1.1);
  private static readonly MIN_MS = 0.001;

  constructor(
    readonly counts: number[] = new Array<number>(LatencyHistogram.BUCKETS).fill(0),
    public total = 0,
    public sumMs = 0,
  ) {
    if (counts.length !== LatencyHistogram.BUCKETS) throw new RangeError('counts: wrong number of buckets');
  }

  record(ms: number): void {
    const index =
      ms <= LatencyHistogram.MIN_MS
        ? 0
        : Math.ceil(Math.log(ms / LatencyHistogram.MIN_MS) / LatencyHistogram.RATIO);
    const bucket = Math.min(index, LatencyHistogram.BUCKETS - 1);
    this.counts[bucket] = (this.counts[bucket] ?? 0) + 1;
    this.total++;
    this.sumMs += ms;
  }

  /** The upper bound of the bucket holding the q-th quantile, in milliseconds; 0 when empty. */
  quantile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.ceil(q * this.total);
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i] ?? 0;
      if (seen >= rank) return LatencyHistogram.MIN_MS * Math.exp(i * LatencyHistogram.RATIO);
    }
    return Infinity;
  }

  mean(): number {
    return this.total === 0 ? 0 : this.sumMs / this.total;
  }
}
