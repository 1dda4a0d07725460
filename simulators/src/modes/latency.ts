const BASE_MS = 0.01;
const STEP = 1.02;
const BUCKETS = 1200;

/** Log-spaced buckets 2 % wide: percentiles within 2 % for hours of acks without keeping every sample. */
export class LatencyRecorder {
  private readonly counts = new Float64Array(BUCKETS);
  count = 0;
  max = 0;
  private sum = 0;

  record(ms: number): void {
    const value = Math.max(0, ms);
    const bucket =
      value <= BASE_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(value / BASE_MS) / Math.log(STEP)));
    this.counts[bucket]++;
    this.count++;
    this.sum += value;
    if (value > this.max) this.max = value;
  }

  get mean(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  /** The upper bound of the bucket holding the p-th percentile (0-100); 0 with no samples. */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.counts[b];
      if (seen >= rank) return Math.min(this.max, BASE_MS * STEP ** b);
    }
    return this.max;
  }
}
