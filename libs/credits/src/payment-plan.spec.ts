import fc from 'fast-check';
import { planPayment, Spendable } from './payment-plan';

const at = (iso: string) => new Date(iso);
const voucher = (code: string, balance: number, expires: string): Spendable => ({
  code,
  balance,
  expiresAt: at(expires),
});

describe('planPayment (spending order)', () => {
  it('pays from plan credits first', () => {
    const plan = planPayment(3000, 120, {
      creditsAvailable: 5000,
      vouchers: [voucher('V1', 1000, '2026-12-01T00:00:00Z')],
      packs: [voucher('P1', 600, '2026-12-01T00:00:00Z')],
    });
    expect(plan).toEqual({
      creditsMinor: 3000,
      voucherMinor: 0,
      voucherSpends: [],
      passMinutes: 0,
      packSpends: [],
      chargeMinor: 0,
    });
  });

  it('then money vouchers, the one expiring first first, then charges the rest', () => {
    const plan = planPayment(3000, 120, {
      creditsAvailable: 1000,
      vouchers: [voucher('LATE', 5000, '2026-12-01T00:00:00Z'), voucher('SOON', 700, '2026-06-01T00:00:00Z')],
      packs: [],
    });
    expect(plan.creditsMinor).toBe(1000);
    expect(plan.voucherSpends).toEqual([
      { code: 'SOON', amount: 700 },
      { code: 'LATE', amount: 1300 },
    ]);
    expect(plan.voucherMinor).toBe(2000);
    expect(plan.chargeMinor).toBe(0);
  });

  it('then hour packs by the minute, then the invoice', () => {
    // 120 minutes at 3000: 25 per minute. Credits 1000 and voucher 500 leave 1500, i.e. 60 minutes; the pack has 40.
    const plan = planPayment(3000, 120, {
      creditsAvailable: 1000,
      vouchers: [voucher('V', 500, '2026-06-01T00:00:00Z')],
      packs: [voucher('P', 40, '2026-06-01T00:00:00Z')],
    });
    expect(plan.creditsMinor).toBe(1000);
    expect(plan.voucherMinor).toBe(500);
    expect(plan.packSpends).toEqual([{ code: 'P', minutes: 40 }]);
    expect(plan.passMinutes).toBe(40);
    expect(plan.chargeMinor).toBe(500);
  });

  it('lets a pack cover a whole booking and charges nothing', () => {
    const plan = planPayment(1000, 60, {
      creditsAvailable: 0,
      vouchers: [],
      packs: [voucher('B', 30, '2026-08-01T00:00:00Z'), voucher('A', 30, '2026-07-01T00:00:00Z')],
    });
    expect(plan.packSpends).toEqual([
      { code: 'A', minutes: 30 },
      { code: 'B', minutes: 30 },
    ]);
    expect(plan.chargeMinor).toBe(0);
  });

  it('charges everything when the member has nothing to spend, and nothing for a free booking', () => {
    expect(planPayment(2500, 60, { creditsAvailable: 0, vouchers: [], packs: [] }).chargeMinor).toBe(2500);
    const free = planPayment(0, 60, {
      creditsAvailable: 100,
      vouchers: [voucher('V', 100, '2026-06-01T00:00:00Z')],
      packs: [voucher('P', 60, '2026-06-01T00:00:00Z')],
    });
    expect(free).toEqual({
      creditsMinor: 0,
      voucherMinor: 0,
      voucherSpends: [],
      passMinutes: 0,
      packSpends: [],
      chargeMinor: 0,
    });
  });

  it('always adds up to the price and never overdraws a source', () => {
    const spendable = fc.record({
      code: fc.stringMatching(/^[A-Z]{4}$/),
      balance: fc.integer({ min: 0, max: 10_000 }),
      expiresAt: fc.date({
        min: at('2026-01-01T00:00:00Z'),
        max: at('2027-01-01T00:00:00Z'),
        noInvalidDate: true,
      }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 0, max: 50_000 }),
        fc.uniqueArray(spendable, { maxLength: 4, selector: (v) => v.code }),
        fc.uniqueArray(spendable, { maxLength: 4, selector: (v) => v.code }),
        (price, minutes, credits, vouchers, packs) => {
          const plan = planPayment(price, minutes, { creditsAvailable: credits, vouchers, packs });
          const packValue = price - plan.creditsMinor - plan.voucherMinor - plan.chargeMinor;
          expect(plan.creditsMinor).toBeLessThanOrEqual(credits);
          expect(plan.chargeMinor).toBeGreaterThanOrEqual(0);
          expect(packValue).toBeGreaterThanOrEqual(0);
          // packs pay only through minutes drawn from them
          if (plan.passMinutes === 0) expect(packValue).toBe(0);
          expect(plan.voucherSpends.reduce((s, v) => s + v.amount, 0)).toBe(plan.voucherMinor);
          for (const s of plan.voucherSpends) {
            expect(s.amount).toBeLessThanOrEqual(vouchers.find((v) => v.code === s.code)!.balance);
          }
          expect(plan.passMinutes).toBeLessThanOrEqual(minutes);
        },
      ),
    );
  });
});
