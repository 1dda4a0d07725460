import { Rng } from '../random';

/** A discrete distribution over values, drawn with one uniform and a binary search. */
export class Weighted<T> {
  private readonly cumulative: number[] = [];
  private readonly values: T[] = [];
  readonly total: number;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    let sum = 0;
    for (const [value, weight] of entries) {
      if (!(weight > 0)) continue;
      sum += weight;
      this.values.push(value);
      this.cumulative.push(sum);
    }
    this.total = sum;
  }

  get empty(): boolean {
    return this.values.length === 0;
  }

  pick(rng: Rng): T {
    if (this.values.length === 0) throw new Error('cannot pick from an empty distribution');
    const target = rng.next() * this.total;
    let lo = 0;
    let hi = this.values.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo];
  }
}

/** Weights keyed by strings (YAML maps) turned into a distribution over numbers. */
export function weightedNumbers(
  weights: Record<string, number>,
  keyOf: (key: string) => number,
): Weighted<number> {
  return new Weighted(
    Object.entries(weights)
      .map(([key, weight]) => [keyOf(key), weight] as const)
      .sort((a, b) => a[0] - b[0]),
  );
}
