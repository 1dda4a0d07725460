import fc from 'fast-check';
import { overlapDays, prorate } from './proration';
import { addDays, monthPeriod } from './local-dates';

describe('prorate', () => {
  const june = { start: '2024-06-01', end: '2024-07-01' };

  it('charges the full price for a contract active the whole month', () => {
    expect(prorate(10_000, june, { start: '2024-01-01', end: null })).toBe(10_000);
    expect(prorate(10_000, june, { start: '2024-06-01', end: '2024-07-01' })).toBe(10_000);
  });

  it('charges the active days of a start in the middle of the month', () => {
    // 16 June to 30 June inclusive: 15 of 30 days.
    expect(prorate(10_000, june, { start: '2024-06-16', end: null })).toBe(5_000);
  });

  it('charges the active days of an end in the middle of the month (end exclusive)', () => {
    expect(prorate(9_000, june, { start: '2024-01-01', end: '2024-06-11' })).toBe(3_000);
  });

  it('rounds half up in minor units', () => {
    // 1 of 30 days of 45 = 1.5 -> 2
    expect(prorate(45, june, { start: '2024-06-30', end: null })).toBe(2);
    // 1 of 30 days of 44 = 1.466 -> 1
    expect(prorate(44, june, { start: '2024-06-30', end: null })).toBe(1);
    // 1 of 31 days of 1000 = 32.26 -> 32
    expect(prorate(1000, monthPeriod('2024-07'), { start: '2024-07-31', end: null })).toBe(32);
  });

  it('uses the days of the month itself, including a leap February', () => {
    expect(prorate(2_900, monthPeriod('2024-02'), { start: '2024-02-29', end: null })).toBe(100);
    expect(prorate(2_800, monthPeriod('2023-02'), { start: '2023-02-28', end: null })).toBe(100);
  });

  it('splits a plan change on a day boundary with no day billed twice or lost', () => {
    const first = prorate(10_000, june, { start: '2024-01-01', end: '2024-06-10' });
    const second = prorate(20_000, june, { start: '2024-06-10', end: null });
    expect(first).toBe(3_000);
    expect(second).toBe(14_000);
  });

  it('charges nothing when the contract is outside the period', () => {
    expect(prorate(10_000, june, { start: '2024-07-01', end: null })).toBe(0);
    expect(prorate(10_000, june, { start: '2024-01-01', end: '2024-06-01' })).toBe(0);
  });

  it('refuses non-integer prices and bad dates', () => {
    expect(() => prorate(10.5, june, { start: '2024-06-01', end: null })).toThrow(RangeError);
    expect(() => prorate(-1, june, { start: '2024-06-01', end: null })).toThrow(RangeError);
    expect(() => prorate(100, june, { start: '2024-06-31', end: null })).toThrow(RangeError);
    expect(() =>
      prorate(100, { start: '2024-06-01', end: '2024-06-01' }, { start: '2024-06-01', end: null }),
    ).toThrow(RangeError);
  });

  it('never exceeds the price and matches the rounded exact share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        (price, offset, length) => {
          const start = addDays('2024-06-01', offset - 5);
          const active = { start, end: addDays(start, length) };
          const charged = prorate(price, june, active);
          const days = overlapDays(june, active);
          expect(charged).toBeGreaterThanOrEqual(0);
          expect(charged).toBeLessThanOrEqual(price);
          expect(Math.abs(charged - (price * days) / 30)).toBeLessThanOrEqual(0.5);
        },
      ),
    );
  });
});
