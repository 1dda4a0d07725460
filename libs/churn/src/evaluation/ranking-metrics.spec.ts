import { Labelled, precisionAtTop, rocAuc } from './ranking-metrics';

const ex = (pairs: Array<[number, boolean]>): Labelled[] =>
  pairs.map(([score, positive]) => ({ score, positive }));

/** Brute force over every (positive, negative) pair: the definition AUC must equal. */
function pairwiseAuc(examples: Labelled[]): number {
  const pos = examples.filter((e) => e.positive);
  const neg = examples.filter((e) => !e.positive);
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p.score > n.score ? 1 : p.score === n.score ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

describe('rocAuc', () => {
  it('is 1 for a perfect ranking, 0 for a reversed one and 0.5 when every score ties', () => {
    expect(
      rocAuc(
        ex([
          [0.9, true],
          [0.8, true],
          [0.3, false],
          [0.1, false],
        ]),
      ),
    ).toBe(1);
    expect(
      rocAuc(
        ex([
          [0.1, true],
          [0.2, true],
          [0.3, false],
          [0.9, false],
        ]),
      ),
    ).toBe(0);
    expect(
      rocAuc(
        ex([
          [5, true],
          [5, false],
          [5, false],
        ]),
      ),
    ).toBe(0.5);
  });

  it('counts a tie between a positive and a negative as half a win (hand-computed)', () => {
    // pairs: (0.8 vs 0.5) win, (0.8 vs 0.2) win, (0.5 vs 0.5) half, (0.5 vs 0.2) win -> 3.5 / 4
    expect(
      rocAuc(
        ex([
          [0.8, true],
          [0.5, true],
          [0.5, false],
          [0.2, false],
        ]),
      ),
    ).toBeCloseTo(0.875, 12);
  });

  it('equals the pairwise definition on random data with many ties', () => {
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 20; round++) {
      const data = Array.from({ length: 60 }, () => ({
        score: Math.floor(next() * 8),
        positive: next() < 0.3,
      }));
      if (!data.some((d) => d.positive) || data.every((d) => d.positive)) continue;
      expect(rocAuc(data)).toBeCloseTo(pairwiseAuc(data), 12);
    }
  });

  it('has no value without both classes', () => {
    expect(rocAuc(ex([[1, true]]))).toBeNull();
    expect(
      rocAuc(
        ex([
          [1, false],
          [2, false],
        ]),
      ),
    ).toBeNull();
    expect(rocAuc([])).toBeNull();
  });
});

describe('precisionAtTop', () => {
  it('takes the top 10% by score (rounded up)', () => {
    // 20 examples -> top 2: scores 20 (positive) and 19 (negative)
    const data = Array.from({ length: 20 }, (_, i) => ({ score: i + 1, positive: i === 19 || i === 5 }));
    expect(precisionAtTop(data, 0.1)).toBe(0.5);
    // 21 examples -> top 3
    expect(precisionAtTop([...data, { score: 0, positive: false }], 0.1)).toBeCloseTo(1 / 3, 12);
  });

  it('shares the last places among tied scores in proportion to their positives', () => {
    // top 2 of 10: one clear positive at 9, then four tied at 5 of which one positive -> 1 + 1/4 hits
    const data = ex([
      [9, true],
      [5, true],
      [5, false],
      [5, false],
      [5, false],
      [1, false],
      [1, false],
      [1, true],
      [0, false],
      [0, false],
    ]);
    expect(precisionAtTop(data, 0.2)).toBeCloseTo(1.25 / 2, 12);
    // the input order does not matter
    expect(precisionAtTop([...data].reverse(), 0.2)).toBeCloseTo(1.25 / 2, 12);
  });

  it('takes at least one example, refuses a fraction outside (0, 1] and has no value for no examples', () => {
    expect(
      precisionAtTop(
        ex([
          [3, true],
          [2, false],
        ]),
        0.01,
      ),
    ).toBe(1);
    expect(() => precisionAtTop(ex([[1, true]]), 0)).toThrow(RangeError);
    expect(() => precisionAtTop(ex([[1, true]]), 1.5)).toThrow(RangeError);
    expect(precisionAtTop([], 0.1)).toBeNull();
  });
});
