import fc from 'fast-check';
import { taxOf, totalsPerInvoice, totalsPerLine } from './tax';

describe('taxOf', () => {
  it('rounds half up in minor units', () => {
    expect(taxOf(1000, 2100)).toBe(210);
    // 0.21 * 50 = 10.5 -> 11
    expect(taxOf(50, 2100)).toBe(11);
    // 0.21 * 49 = 10.29 -> 10
    expect(taxOf(49, 2100)).toBe(10);
    // 0.10 * 5 = 0.5 -> 1
    expect(taxOf(5, 1000)).toBe(1);
    expect(taxOf(4, 1000)).toBe(0);
    expect(taxOf(12345, 0)).toBe(0);
  });

  it('mirrors a positive amount exactly for a negative one (credit notes)', () => {
    expect(taxOf(-50, 2100)).toBe(-11);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 10_000 }), (amount, rate) => {
        expect(taxOf(-amount, rate) + taxOf(amount, rate)).toBe(0);
      }),
    );
  });

  it('stays within half a unit of the exact tax', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 0, max: 10_000 }), (amount, rate) => {
        expect(Math.abs(taxOf(amount, rate) - (amount * rate) / 10_000)).toBeLessThanOrEqual(0.5);
      }),
    );
  });

  it('refuses fractional amounts and rates', () => {
    expect(() => taxOf(10.5, 2100)).toThrow(RangeError);
    expect(() => taxOf(10, 21.5)).toThrow(RangeError);
    expect(() => taxOf(10, -1)).toThrow(RangeError);
  });
});

describe('invoice tax rounding', () => {
  // Three lines of 50 at 21%: 10.5 each.
  const lines = [50, 50, 50].map((amountMinor) => ({ amountMinor, taxRateBp: 2100 }));

  it('per line: each line rounds, the invoice tax is their sum', () => {
    const totals = totalsPerLine(lines);
    expect(totals.lineTaxes).toEqual([11, 11, 11]);
    expect(totals).toMatchObject({ subtotalMinor: 150, taxMinor: 33, totalMinor: 183 });
  });

  it('per invoice: tax on the subtotal, rounded once', () => {
    // 150 * 0.21 = 31.5 -> 32
    expect(totalsPerInvoice(lines)).toEqual({ subtotalMinor: 150, taxMinor: 32, totalMinor: 182 });
  });

  it('per invoice: rounds each rate on its own base', () => {
    const mixed = [
      { amountMinor: 105, taxRateBp: 1000 },
      { amountMinor: 50, taxRateBp: 2100 },
      { amountMinor: 50, taxRateBp: 2100 },
    ];
    // 10.5 -> 11 and 21 -> 21
    expect(totalsPerInvoice(mixed)).toEqual({ subtotalMinor: 205, taxMinor: 32, totalMinor: 237 });
  });

  it('the two modes differ by at most half a unit per line, and total = subtotal + tax', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -100_000, max: 1_000_000 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 0, max: 3000 }),
        (amounts, rate) => {
          const ls = amounts.map((amountMinor) => ({ amountMinor, taxRateBp: rate }));
          const a = totalsPerLine(ls);
          const b = totalsPerInvoice(ls);
          expect(a.subtotalMinor).toBe(b.subtotalMinor);
          expect(Math.abs(a.taxMinor - b.taxMinor)).toBeLessThanOrEqual(Math.ceil(ls.length / 2));
          expect(a.totalMinor).toBe(a.subtotalMinor + a.taxMinor);
          expect(b.totalMinor).toBe(b.subtotalMinor + b.taxMinor);
        },
      ),
    );
  });
});
