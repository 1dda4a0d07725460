import { isExpired, newCode, redeemRefusal, spendRefusal, Voucher } from './voucher-rules';

const base: Voucher = {
  siteId: 's',
  code: 'GIFT1234',
  kind: 'money',
  batchId: null,
  initial: 5000,
  balance: 5000,
  expiresAt: new Date('2026-06-01T00:00:00Z'),
  planId: null,
  memberId: null,
  redeemedAt: null,
  createdAt: new Date('2026-01-01T00:00:00Z'),
};

describe('voucher expiry and use', () => {
  it('expires exactly at its expiry instant', () => {
    expect(isExpired(base, new Date('2026-05-31T23:59:59.999Z'))).toBe(false);
    expect(isExpired(base, new Date('2026-06-01T00:00:00Z'))).toBe(true);
  });

  it('refuses redeeming an expired or already redeemed code, with the reason', () => {
    expect(redeemRefusal(base, new Date('2026-05-01T00:00:00Z'))).toBeUndefined();
    expect(redeemRefusal(base, new Date('2026-06-02T00:00:00Z'))?.message).toMatch(/expired at 2026-06-01/);
    expect(redeemRefusal({ ...base, memberId: 'm1' }, new Date('2026-05-01T00:00:00Z'))?.message).toMatch(
      /already been redeemed/,
    );
  });

  it('never spends an expired, empty or unowned voucher', () => {
    const owned = { ...base, memberId: 'm1' };
    const may = new Date('2026-05-01T00:00:00Z');
    expect(spendRefusal(owned, may)).toBeUndefined();
    expect(spendRefusal(owned, new Date('2026-06-01T00:00:00Z'))).toMatch(/expired/);
    expect(spendRefusal({ ...owned, balance: 0 }, may)).toMatch(/nothing left/);
    expect(spendRefusal(base, may)).toMatch(/not redeemed/);
  });

  it('makes codes the database accepts, with the prefix', () => {
    const codes = new Set(Array.from({ length: 500 }, () => newCode('SPRING-')));
    expect(codes.size).toBe(500);
    for (const code of codes) expect(code).toMatch(/^SPRING-[2-9A-HJKMNP-Z]{10}$/);
  });
});
