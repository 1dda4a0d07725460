import fc from 'fast-check';
import { dynamicPrice, PriceRule } from './dynamic-price';
import { hourSlices } from './local-hours';

const ruleArb: fc.Arbitrary<PriceRule> = fc
  .record({
    targetUtilisation: fc.double({ min: 0, max: 1, noNaN: true }),
    sensitivity: fc.double({ min: 0, max: 4, noNaN: true }),
    minMultiplier: fc.double({ min: 0.2, max: 1, noNaN: true }),
    extra: fc.double({ min: 0, max: 2, noNaN: true }),
    floor: fc.option(fc.integer({ min: 0, max: 5_000 }), { nil: null }),
    width: fc.integer({ min: 0, max: 10_000 }),
    ceilingSet: fc.boolean(),
  })
  .map((r) => ({
    targetUtilisation: r.targetUtilisation,
    sensitivity: r.sensitivity,
    minMultiplier: r.minMultiplier,
    maxMultiplier: r.minMultiplier + r.extra,
    floorPerHourMinor: r.floor,
    ceilingPerHourMinor: r.ceilingSet ? (r.floor ?? 0) + r.width : null,
  }));

const start = new Date('2026-11-23T08:00:00Z'); // a Monday, 09:00 in Madrid
const slicesArb = fc
  .integer({ min: 15, max: 10 * 60 })
  .map((minutes) => hourSlices(start, new Date(start.getTime() + minutes * 60_000), 'Europe/Madrid'));
const forecastArb = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 168, maxLength: 168 });
const asMap = (values: number[]) => new Map(values.map((u, how) => [how, u]));

describe('dynamicPrice', () => {
  it('keeps every hour at a list rate inside the floor and ceiling', () => {
    fc.assert(
      fc.property(
        ruleArb,
        fc.integer({ min: 0, max: 20_000 }),
        slicesArb,
        forecastArb,
        (rule, base, slices, forecast) => {
          const price = dynamicPrice({
            basePerHourMinor: base,
            discountPct: 0,
            rule,
            slices,
            forecast: asMap(forecast),
          });
          for (const slice of price.slices) {
            if (rule.floorPerHourMinor !== null)
              expect(slice.listPerHourMinor).toBeGreaterThanOrEqual(rule.floorPerHourMinor);
            if (rule.ceilingPerHourMinor !== null)
              expect(slice.listPerHourMinor).toBeLessThanOrEqual(rule.ceilingPerHourMinor);
          }
        },
      ),
    );
  });

  it('never costs less when the forecast demand of any hour rises', () => {
    fc.assert(
      fc.property(
        ruleArb,
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 0, max: 100 }),
        slicesArb,
        forecastArb,
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 168, maxLength: 168 }),
        (rule, base, discountPct, slices, forecast, lift) => {
          const higher = forecast.map((u, i) => Math.min(1, u + lift[i]));
          const low = dynamicPrice({
            basePerHourMinor: base,
            discountPct,
            rule,
            slices,
            forecast: asMap(forecast),
          });
          const high = dynamicPrice({
            basePerHourMinor: base,
            discountPct,
            rule,
            slices,
            forecast: asMap(higher),
          });
          expect(high.priceMinor).toBeGreaterThanOrEqual(low.priceMinor);
        },
      ),
    );
  });

  it('takes the discount off the list rate and never goes negative', () => {
    fc.assert(
      fc.property(
        ruleArb,
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 0, max: 100 }),
        slicesArb,
        forecastArb,
        (rule, base, discountPct, slices, forecast) => {
          const price = dynamicPrice({
            basePerHourMinor: base,
            discountPct,
            rule,
            slices,
            forecast: asMap(forecast),
          });
          for (const slice of price.slices) {
            expect(slice.perHourMinor).toBeLessThanOrEqual(slice.listPerHourMinor);
            expect(slice.perHourMinor).toBeGreaterThanOrEqual(0);
          }
          expect(price.priceMinor).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });

  it('prices a worked example by hand', () => {
    // 10:30-12:00 Madrid (UTC+1): 30 min in hour-of-week 10 (forecast 0.9) and 60 min in hour 11 (no forecast).
    // Hour 10: 2000 x (1 + 1 x (0.9 - 0.5)) = 2800, clamped to the 2500 ceiling; 30 min -> 1250.
    // Hour 11: no forecast -> multiplier 1 -> 2000; 60 min -> 2000. Then 10% off: 2250 and 1800 per hour.
    const slices = hourSlices(
      new Date('2026-11-23T09:30:00Z'),
      new Date('2026-11-23T11:00:00Z'),
      'Europe/Madrid',
    );
    const price = dynamicPrice({
      basePerHourMinor: 2000,
      discountPct: 10,
      rule: {
        targetUtilisation: 0.5,
        sensitivity: 1,
        minMultiplier: 0.5,
        maxMultiplier: 2,
        floorPerHourMinor: 1000,
        ceilingPerHourMinor: 2500,
      },
      slices,
      forecast: new Map([[10, 0.9]]),
    });
    expect(
      price.slices.map((s) => [s.hourOfWeek, s.minutes, s.listPerHourMinor, s.perHourMinor, s.amountMinor]),
    ).toEqual([
      [10, 30, 2500, 2250, 1125],
      [11, 60, 2000, 1800, 1800],
    ]);
    expect(price.priceMinor).toBe(2925);
  });
});

describe('hourSlices', () => {
  it('covers the booking exactly, in local hours of week', () => {
    const slices = hourSlices(
      new Date('2026-11-23T08:15:00Z'),
      new Date('2026-11-23T10:00:00Z'),
      'Europe/Madrid',
    );
    expect(slices.map((s) => [s.hourOfWeek, s.minutes])).toEqual([
      [9, 45],
      [10, 60],
    ]);
  });

  it('follows the site zone across the spring DST change (Madrid skips 02:00-03:00 on 29 March 2026)', () => {
    // Sunday 2026-03-29: 00:30 UTC = 01:30 CET, 01:30 UTC = 03:30 CEST
    const slices = hourSlices(
      new Date('2026-03-29T00:30:00Z'),
      new Date('2026-03-29T02:00:00Z'),
      'Europe/Madrid',
    );
    expect(slices.map((s) => [s.hourOfWeek, s.minutes])).toEqual([
      [6 * 24 + 1, 30],
      [6 * 24 + 3, 60],
    ]);
  });

  it('cuts half-hour zones at their local hour', () => {
    // India is UTC+5:30: 08:00 UTC = 13:30 local on a Monday
    const slices = hourSlices(
      new Date('2026-11-23T08:00:00Z'),
      new Date('2026-11-23T09:00:00Z'),
      'Asia/Kolkata',
    );
    expect(slices.map((s) => [s.hourOfWeek, s.minutes])).toEqual([
      [13, 30],
      [14, 30],
    ]);
  });
});
