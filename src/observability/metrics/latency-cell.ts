/** Upper bounds (seconds) of the latency buckets: 0.1 ms to 10 s, then +Inf. */
export const LATENCY_BUCKETS_S: readonly number[] = [
  0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];
const BUCKETS_MS = LATENCY_BUCKETS_S.map((s) => s * 1000);

/**
 * One histogram series (one set of label values): how many observations, their sum, the time of the
 * last one, and the count per bucket. Written on hot paths (hook dispatch, RPC), so `observe` only
 * adds to numbers it already holds: no allocation, no label hashing (what prom-client's `observe`
 * does per call). Series are created once, when a tap is bound or a plugin first called.
 */
export class LatencyCell {
  count = 0;
  sumMs = 0;
  /** Milliseconds since the epoch of the last observation; 0 when none. */
  lastAt = 0;
  /** Non-cumulative counts per bucket; the last slot is +Inf. */
  readonly buckets = new Float64Array(BUCKETS_MS.length + 1);

  observe(durationMs: number): void {
    this.count++;
    this.sumMs += durationMs;
    this.lastAt = Date.now();
    let i = 0;
    while (i < BUCKETS_MS.length && durationMs > BUCKETS_MS[i]!) i++;
    this.buckets[i]!++;
  }
}

/** Histogram series by label values (the key joins them), in creation order. */
export class LatencyCells<L extends string> {
  readonly labelNames: readonly L[];
  readonly #cells = new Map<string, { labels: Readonly<Record<L, string>>; cell: LatencyCell }>();

  constructor(labelNames: readonly L[]) {
    this.labelNames = labelNames;
  }

  /** The series of `labels`, created on first use. Keep it: calling this per observation would hash. */
  cell(labels: Readonly<Record<L, string>>): LatencyCell {
    const key = this.labelNames.map((name) => labels[name]).join('\u0000');
    let entry = this.#cells.get(key);
    if (!entry) {
      entry = { labels: { ...labels }, cell: new LatencyCell() };
      this.#cells.set(key, entry);
    }
    return entry.cell;
  }

  entries(): IterableIterator<{ labels: Readonly<Record<L, string>>; cell: LatencyCell }> {
    return this.#cells.values();
  }
}
