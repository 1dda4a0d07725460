import { hashSeed, Rng, rngFor } from './random';

const draws = (rng: Rng, n: number): number[] => Array.from({ length: n }, () => rng.next());
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('Rng', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    expect(draws(new Rng(42), 100)).toEqual(draws(new Rng(42), 100));
    expect(draws(new Rng(42), 100)).not.toEqual(draws(new Rng(43), 100));
  });

  it('draws uniform floats in [0, 1) with mean near 1/2', () => {
    const xs = draws(new Rng(7), 20_000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(mean(xs)).toBeCloseTo(0.5, 1);
  });

  it('draws whole numbers with both bounds included', () => {
    const rng = new Rng(1);
    const seen = new Set(Array.from({ length: 2000 }, () => rng.int(3, 6)));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('draws normals with the requested mean and spread', () => {
    const rng = new Rng(9);
    const xs = Array.from({ length: 20_000 }, () => rng.normal(540, 35));
    const m = mean(xs);
    const sd = Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
    expect(Math.abs(m - 540)).toBeLessThan(1.5);
    expect(Math.abs(sd - 35)).toBeLessThan(1.5);
  });

  it('draws Poisson counts with the requested mean', () => {
    const rng = new Rng(11);
    expect(mean(Array.from({ length: 20_000 }, () => rng.poisson(0.8)))).toBeCloseTo(0.8, 1);
  });

  it('honours chance, pick and shuffle', () => {
    const rng = new Rng(5);
    const hits = Array.from({ length: 10_000 }, () => rng.chance(0.15)).filter(Boolean).length;
    expect(hits / 10_000).toBeCloseTo(0.15, 1);
    expect(['a', 'b', 'c']).toContain(rng.pick(['a', 'b', 'c']));
    expect(() => rng.pick([])).toThrow('empty');
    const items = Array.from({ length: 20 }, (_, i) => i);
    const shuffled = new Rng(5).shuffle(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled).not.toEqual(items);
    expect(new Rng(5).shuffle(items)).toEqual(shuffled);
  });

  it('derives stable, distinct seeds from labels', () => {
    expect(hashSeed('42:2026-03-04:members')).toBe(hashSeed('42:2026-03-04:members'));
    expect(hashSeed('42:2026-03-04:members')).not.toBe(hashSeed('42:2026-03-05:members'));
    expect(rngFor(42, 'a').next()).toBe(rngFor(42, 'a').next());
    expect(rngFor(42, 'a').next()).not.toBe(rngFor(42, 'b').next());
  });
});
