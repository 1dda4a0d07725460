import { ChurnFeatures, FEATURE_CAPS } from './features';

export const FACTOR_NAMES = [
  'visit_trend',
  'booking_trend',
  'days_since_last_visit',
  'overdue_invoices',
  'late_payments',
  'contract_ending',
  'downgrade',
] as const;
export type FactorName = (typeof FACTOR_NAMES)[number];

/**
 * A logistic model small enough to explain: the log-odds of churning within the horizon is the intercept plus one
 * term per factor, each term a weight times a transformed feature. A factor's term is its contribution.
 */
export interface ChurnModel {
  version: string;
  intercept: number;
  weights: {
    /** Per unit of visit decline, -ln((recent + 1) / (previous + 1)), cut to [-2, 3]. */
    visitDecline: number;
    bookingDecline: number;
    /** Per unit of ln(1 + days without a visit). */
    logDaysSinceVisit: number;
    /** Per overdue invoice (at most three count) and per 30 days the oldest one is overdue (at most 90 days). */
    overdueInvoice: number;
    overdueMonth: number;
    /** Per invoice of the last six months paid over a week late (at most three count). */
    latePayment: number;
    /** A known contract end with nothing after it: the full weight within 60 days of the end, half further out. */
    contractEnding: number;
    /** Per share of the monthly price given up by a move to a cheaper plan. */
    downgrade: number;
  };
}

export interface Factor {
  factor: FactorName;
  /** Log-odds points this factor adds to (or takes from) the score. */
  contribution: number;
  /** The feature values behind it, for the at-risk page. */
  value: Record<string, number | boolean | null>;
  detail: string;
}

export interface ChurnScore {
  /** 0-100: the modelled chance, in percent, of leaving within the horizon. */
  score: number;
  probability: number;
  /** Every factor, largest contribution first. */
  factors: Factor[];
}

const clip = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;
const percentChange = (logRatio: number, recent: number, previous: number): string => {
  if (previous === 0 && recent === 0) return 'none in twelve weeks';
  const change = Math.round(((recent + 1) / (previous + 1) - 1) * 100);
  return `${change >= 0 ? '+' : ''}${change}% (${recent} in the last 4 weeks vs ${round(previous, 1)} per 4 weeks before)`;
};

/** The transformed inputs of each term; also what tuning fits the weights on. */
export function modelInputs(f: ChurnFeatures): Record<keyof ChurnModel['weights'], number> {
  const daysToEnd = f.daysToEnd;
  return {
    visitDecline: f.visits ? clip(-f.visits.logRatio, -2, 3) : 0,
    bookingDecline: f.bookings ? clip(-f.bookings.logRatio, -2, 3) : 0,
    logDaysSinceVisit: f.daysSinceLastVisit === null ? 0 : Math.log1p(f.daysSinceLastVisit),
    overdueInvoice: Math.min(f.overdueCount, FEATURE_CAPS.MAX_OVERDUE),
    overdueMonth: Math.min(f.overdueAgeDays, FEATURE_CAPS.MAX_OVERDUE_AGE_DAYS) / 30,
    latePayment: Math.min(f.lateInvoices, FEATURE_CAPS.MAX_LATE),
    contractEnding: daysToEnd === null ? 0 : daysToEnd <= 60 ? 1 : 0.5,
    downgrade: f.downgradeShare,
  };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function scoreFeatures(model: ChurnModel, f: ChurnFeatures): ChurnScore {
  const x = modelInputs(f);
  const w = model.weights;
  const factors: Factor[] = [
    {
      factor: 'visit_trend',
      contribution: w.visitDecline * x.visitDecline,
      value: f.visits
        ? { recent: f.visits.recent, previousPer4Weeks: round(f.visits.previousPer4Weeks, 2) }
        : { recent: null, previousPer4Weeks: null },
      detail: f.visits
        ? `visits ${percentChange(f.visits.logRatio, f.visits.recent, f.visits.previousPer4Weeks)}`
        : 'visits: not enough history to compare, or not expected on this plan',
    },
    {
      factor: 'booking_trend',
      contribution: w.bookingDecline * x.bookingDecline,
      value: f.bookings
        ? { recent: f.bookings.recent, previousPer4Weeks: round(f.bookings.previousPer4Weeks, 2) }
        : { recent: null, previousPer4Weeks: null },
      detail: f.bookings
        ? `bookings ${percentChange(f.bookings.logRatio, f.bookings.recent, f.bookings.previousPer4Weeks)}`
        : 'bookings: not enough history to compare',
    },
    {
      factor: 'days_since_last_visit',
      contribution: w.logDaysSinceVisit * x.logDaysSinceVisit,
      value: { days: f.daysSinceLastVisit },
      detail:
        f.daysSinceLastVisit === null
          ? 'visits are not expected on this plan'
          : `${f.daysSinceLastVisit} day(s) without a visit`,
    },
    {
      factor: 'overdue_invoices',
      contribution: w.overdueInvoice * x.overdueInvoice + w.overdueMonth * x.overdueMonth,
      value: { count: f.overdueCount, amountMinor: f.overdueAmountMinor, oldestDays: f.overdueAgeDays },
      detail:
        f.overdueCount === 0
          ? 'no overdue invoice'
          : `${f.overdueCount} overdue invoice(s), ${f.overdueAmountMinor} minor units, oldest ${f.overdueAgeDays} day(s) past due`,
    },
    {
      factor: 'late_payments',
      contribution: w.latePayment * x.latePayment,
      value: { late: f.lateInvoices, of: f.judgedInvoices },
      detail:
        f.judgedInvoices === 0
          ? 'no invoice to judge yet'
          : `${f.lateInvoices} of the last ${f.judgedInvoices} invoice(s) paid over a week late`,
    },
    {
      factor: 'contract_ending',
      contribution: w.contractEnding * x.contractEnding,
      value: { daysToEnd: f.daysToEnd, noticeGiven: f.noticeGiven },
      detail:
        f.daysToEnd === null
          ? 'no contract end without renewal'
          : `contract ends in ${f.daysToEnd} day(s) with no renewal${f.noticeGiven ? ' (notice given)' : ''}`,
    },
    {
      factor: 'downgrade',
      contribution: w.downgrade * x.downgrade,
      value: { priceDropShare: round(f.downgradeShare) },
      detail:
        f.downgradeShare > 0
          ? `moved to a plan ${Math.round(f.downgradeShare * 100)}% cheaper`
          : 'no recent move to a cheaper plan',
    },
  ];
  const z = model.intercept + factors.reduce((sum, factor) => sum + factor.contribution, 0);
  const probability = sigmoid(z);
  for (const factor of factors) factor.contribution = round(factor.contribution);
  factors.sort((a, b) => b.contribution - a.contribution || a.factor.localeCompare(b.factor));
  return { score: Math.round(probability * 100), probability, factors };
}
