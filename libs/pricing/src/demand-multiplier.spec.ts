import fc from 'fast-check';
import { DemandCurve, demandMultiplier } from './demand-multiplier';

const curveArb: fc.Arbitrary<DemandCurve> = fc
  .record({
    targetUtilisation: fc.double({ min: 0, max: 1, noNaN: true }),
    sensitivity: fc.double({ min: 0, max: 5, noNaN: true }),
    low: fc.double({ min: 0.1, max: 1, noNaN: true }),
    spread: fc.double({ min: 0, max: 3, noNaN: true }),
  })
  .map(({ targetUtilisation, sensitivity, low, spread }) => ({
    targetUtilisation,
    sensitivity,
    minMultiplier: low,
    maxMultiplier: low + spread,
  }));
const utilisation = fc.double({ min: -0.5, max: 1.5, noNaN: true });

describe('demandMultiplier', () => {
  it('never falls as demand rises', () => {
    fc.assert(
      fc.property(curveArb, utilisation, utilisation, (curve, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(demandMultiplier(lo, curve)).toBeLessThanOrEqual(demandMultiplier(hi, curve));
      }),
    );
  });

  it('stays inside the band', () => {
    fc.assert(
      fc.property(curveArb, utilisation, (curve, u) => {
        const m = demandMultiplier(u, curve);
        expect(m).toBeGreaterThanOrEqual(curve.minMultiplier);
        expect(m).toBeLessThanOrEqual(curve.maxMultiplier);
      }),
    );
  });

  it.each([
    [0.5, 1],
    [1, 1.5],
    [0, 0.8],
    [0.8, 1.3],
  ])('at utilisation %p with the default-like curve gives %p', (u, expected) => {
    const curve = { targetUtilisation: 0.5, sensitivity: 1, minMultiplier: 0.8, maxMultiplier: 1.5 };
    expect(demandMultiplier(u, curve)).toBeCloseTo(expected, 10);
  });
});
