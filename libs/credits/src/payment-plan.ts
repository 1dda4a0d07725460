/** A voucher or pass the payer may draw from, with what is left on it (minor units or minutes). */
export interface Spendable {
  code: string;
  balance: number;
  expiresAt: Date;
}

export interface PaymentSources {
  /** Plan credits left in the booking's credit period, minor units. */
  creditsAvailable: number;
  /** Money vouchers bound to the member. */
  vouchers: Spendable[];
  /** Hour packs bound to the member that cover the resource's kind (balance in minutes). */
  packs: Spendable[];
}

export interface PaymentPlan {
  creditsMinor: number;
  voucherMinor: number;
  voucherSpends: { code: string; amount: number }[];
  passMinutes: number;
  packSpends: { code: string; minutes: number }[];
  chargeMinor: number;
}

/** What expires first is spent first, so nothing is left to lapse that could have paid; the code breaks ties. */
function byExpiry(a: Spendable, b: Spendable): number {
  return a.expiresAt.getTime() - b.expiresAt.getTime() || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

/**
 * How a booking is paid: plan credits first, then money vouchers (earliest expiry first), then hour packs by the
 * minute, and what is left is charged on the next invoice. Pack minutes are worth the booking's price per minute; the
 * last minute drawn from a pack settles the rest exactly, so a fully pack-covered booking charges nothing.
 */
export function planPayment(priceMinor: number, minutes: number, sources: PaymentSources): PaymentPlan {
  let rest = priceMinor;
  const creditsMinor = Math.min(rest, Math.max(0, sources.creditsAvailable));
  rest -= creditsMinor;

  const voucherSpends: PaymentPlan['voucherSpends'] = [];
  for (const v of [...sources.vouchers].sort(byExpiry)) {
    if (rest === 0) break;
    const amount = Math.min(rest, v.balance);
    if (amount <= 0) continue;
    voucherSpends.push({ code: v.code, amount });
    rest -= amount;
  }
  const voucherMinor = priceMinor - creditsMinor - rest;

  const packSpends: PaymentPlan['packSpends'] = [];
  if (rest > 0 && minutes > 0) {
    const needMinutes = Math.ceil((rest * minutes) / priceMinor);
    let left = needMinutes;
    for (const p of [...sources.packs].sort(byExpiry)) {
      if (left === 0) break;
      const take = Math.min(left, p.balance);
      if (take <= 0) continue;
      packSpends.push({ code: p.code, minutes: take });
      left -= take;
    }
    const used = needMinutes - left;
    // Short of minutes: each minute drawn is worth the booking's price per minute, rounded down so a pack never pays
    // more than the rest.
    const covered = left === 0 ? rest : Math.min(rest, Math.floor((priceMinor * used) / minutes));
    rest -= covered;
  }
  const passMinutes = packSpends.reduce((sum, s) => sum + s.minutes, 0);
  return { creditsMinor, voucherMinor, voucherSpends, passMinutes, packSpends, chargeMinor: rest };
}
