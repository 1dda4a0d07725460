import { daysFrom, shiftDay } from './local-days';
import { MemberHistory } from './member-history';

/** The recent window of the trends, and the whole window (recent plus the previous eight weeks it is compared to). */
export const RECENT_DAYS = 28;
export const TREND_DAYS = 84;
/** Below this the recent window is not even full: no score rather than a guess. */
export const MIN_HISTORY_DAYS = 28;
/** A previous window shorter than this says too little about a member's usual rhythm to compare against. */
const MIN_PREVIOUS_DAYS = 14;
/** A payment this long after the due date counts as late; invoices are judged on the last six months. */
export const LATE_GRACE_DAYS = 7;
export const PAYMENT_HISTORY_DAYS = 182;
/** A plan change to a cheaper plan counts as a warning sign for this long. */
export const DOWNGRADE_DAYS = 90;
const MAX_GAP_DAYS = 120;
const MAX_OVERDUE = 3;
const MAX_OVERDUE_AGE_DAYS = 90;
const MAX_LATE = 3;

/** Plans whose holders are not expected to come in: their visits say nothing about their intent to stay. */
const REMOTE_PLANS = new Set(['virtual_office']);

export interface Trend {
  /** Count in the last four weeks. */
  recent: number;
  /** The previous window's count scaled to four weeks. */
  previousPer4Weeks: number;
  /** ln((recent + 1) / (previous + 1)): negative when falling; +1 keeps rare visitors from swinging wildly. */
  logRatio: number;
}

export interface ChurnFeatures {
  tenureDays: number;
  /** Null when the member is not expected to visit or the previous window is too short to compare. */
  visits: Trend | null;
  bookings: Trend | null;
  /** Days since the last visit (or since joining, if never); null when visits are not expected. */
  daysSinceLastVisit: number | null;
  overdueCount: number;
  overdueAmountMinor: number;
  overdueAgeDays: number;
  /** Of the invoices due in the last six months, how many were paid over a week late (or not yet), and of how many. */
  lateInvoices: number;
  judgedInvoices: number;
  /** Days until the contract ends, when the end is known and nothing follows it; else null. */
  daysToEnd: number | null;
  noticeGiven: boolean;
  /** Share of the monthly price given up by a recent move to a cheaper plan (0..1); 0 when none. */
  downgradeShare: number;
}

export type FeatureResult = { ok: true; features: ChurnFeatures } | { ok: false; reason: string };

function countIn(days: string[], from: string, to: string): number {
  return days.filter((d) => d >= from && d < to).length;
}

function trend(days: string[], asOf: string, memberSince: string): Trend | null {
  const recentFrom = shiftDay(asOf, -RECENT_DAYS);
  const windowStart = shiftDay(asOf, -TREND_DAYS);
  const previousFrom = memberSince > windowStart ? memberSince : windowStart;
  const previousLength = daysFrom(previousFrom, recentFrom);
  if (previousLength < MIN_PREVIOUS_DAYS) return null;
  const recent = countIn(days, recentFrom, asOf);
  const previousPer4Weeks = (countIn(days, previousFrom, recentFrom) * RECENT_DAYS) / previousLength;
  return { recent, previousPer4Weeks, logRatio: Math.log((recent + 1) / (previousPer4Weeks + 1)) };
}

/** Features of one member as of a scoring day, or why there are none (too little history). */
export function extractFeatures(history: MemberHistory, asOf: string): FeatureResult {
  const tenureDays = daysFrom(history.memberSince, asOf);
  if (tenureDays < MIN_HISTORY_DAYS)
    return {
      ok: false,
      reason:
        tenureDays < 0
          ? `membership starts on ${history.memberSince}, after ${asOf}`
          : `membership started ${tenureDays} day(s) before ${asOf}; ${MIN_HISTORY_DAYS} days of history are needed`,
    };
  const expectsVisits = !REMOTE_PLANS.has(history.planKind);
  const { contract } = history;
  const ending = contract.endDate !== null && !contract.renewed;
  const downgraded =
    history.previousPriceMinor !== null &&
    history.previousPriceMinor > contract.priceMinor &&
    daysFrom(contract.startDate, asOf) <= DOWNGRADE_DAYS;
  const oldestDue = history.overdue.oldestDue;
  return {
    ok: true,
    features: {
      tenureDays,
      visits: expectsVisits ? trend(history.visitDays, asOf, history.memberSince) : null,
      bookings: trend(history.bookingDays, asOf, history.memberSince),
      daysSinceLastVisit: expectsVisits
        ? Math.min(
            MAX_GAP_DAYS,
            history.lastVisit === null ? tenureDays : Math.max(0, daysFrom(history.lastVisit, asOf) - 1),
          )
        : null,
      overdueCount: history.overdue.count,
      overdueAmountMinor: history.overdue.amountMinor,
      overdueAgeDays: oldestDue === null ? 0 : Math.max(0, daysFrom(oldestDue, asOf)),
      lateInvoices: history.payments.late,
      judgedInvoices: history.payments.judged,
      daysToEnd: ending && contract.endDate !== null ? daysFrom(asOf, contract.endDate) : null,
      noticeGiven: contract.noticeGivenOn !== null,
      downgradeShare:
        downgraded && history.previousPriceMinor !== null
          ? (history.previousPriceMinor - contract.priceMinor) / history.previousPriceMinor
          : 0,
    },
  };
}

export const FEATURE_CAPS = { MAX_GAP_DAYS, MAX_OVERDUE, MAX_OVERDUE_AGE_DAYS, MAX_LATE } as const;
