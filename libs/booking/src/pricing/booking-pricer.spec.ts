import { flatPrice } from './booking-pricer';

describe('flatPrice', () => {
  it('charges the hourly base by the minute and rounds half up', () => {
    expect(flatPrice(1000, 60, 0)).toEqual({ baseMinor: 1000, discountMinor: 0, priceMinor: 1000 });
    expect(flatPrice(1000, 90, 0)).toEqual({ baseMinor: 1500, discountMinor: 0, priceMinor: 1500 });
    // 999 x 30 / 60 = 499.5 -> 500
    expect(flatPrice(999, 30, 0).baseMinor).toBe(500);
    // 999 x 29 / 60 = 482.85 -> 483
    expect(flatPrice(999, 29, 0).baseMinor).toBe(483);
  });

  it('takes the plan discount off the base, rounded half up', () => {
    // 1500 x 15% = 225
    expect(flatPrice(1000, 90, 15)).toEqual({ baseMinor: 1500, discountMinor: 225, priceMinor: 1275 });
    // 333 x 50% = 166.5 -> 167
    expect(flatPrice(333, 60, 50)).toEqual({ baseMinor: 333, discountMinor: 167, priceMinor: 166 });
    expect(flatPrice(1000, 60, 100).priceMinor).toBe(0);
  });

  it('is free for a resource without a base price', () => {
    expect(flatPrice(0, 240, 20)).toEqual({ baseMinor: 0, discountMinor: 0, priceMinor: 0 });
  });
});
