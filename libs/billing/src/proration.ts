import { parseLocalDate } from './local-dates';

/** A half-open range of local calendar dates; a null end is open-ended (a contract without notice). */
export interface DateRange {
  start: string;
  end: string | null;
}

export interface BillingPeriod {
  start: string;
  end: string;
}

/** Days of `active` that fall inside `period`, both half-open. */
export function overlapDays(period: BillingPeriod, active: DateRange): number {
  const from = Math.max(parseLocalDate(period.start), parseLocalDate(active.start));
  const periodEnd = parseLocalDate(period.end);
  const to = active.end === null ? periodEnd : Math.min(periodEnd, parseLocalDate(active.end));
  return Math.max(0, to - from);
}

/**
 * The share of a period's price owed for the days a contract is active in it, in minor units rounded half up.
 * Day-based in the site's local calendar, so a 31-day month and a 28-day month each cost the full price in full and
 * a day is worth price/days of its own month (the convention members read on their invoice: "12 of 30 days").
 */
export function prorate(priceMinor: number, period: BillingPeriod, active: DateRange): number {
  if (!Number.isSafeInteger(priceMinor) || priceMinor < 0) {
    throw new RangeError(`price must be a non-negative integer of minor units: ${priceMinor}`);
  }
  const periodDays = parseLocalDate(period.end) - parseLocalDate(period.start);
  if (periodDays <= 0) throw new RangeError(`empty period ${period.start}..${period.end}`);
  const days = overlapDays(period, active);
  if (days === periodDays) return priceMinor;
  // Integer arithmetic: floor((2 * price * days + periodDays) / (2 * periodDays)) rounds half up exactly.
  const numerator = BigInt(priceMinor) * BigInt(days) * 2n + BigInt(periodDays);
  return Number(numerator / (BigInt(periodDays) * 2n));
}
