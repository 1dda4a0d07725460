/**
 * What the board report reads, as a port: the occupancy and booking KPIs (libs/kpi), the money KPIs and the at-risk
 * members (libs/churn). The report never computes a KPI itself, so it always agrees with the KPI API; adapters map
 * those services' answers onto these shapes. Every figure is a number or null with the reason it is missing.
 */

export type KpiPeriod = 'day' | 'week' | 'month' | 'year';

export const OCCUPANCY_KPIS = [
  'utilisation',
  'bookingRate',
  'bookedVsUsed',
  'noShowRate',
  'peakOccupancy',
] as const;
export type OccupancyKpi = (typeof OCCUPANCY_KPIS)[number];

/** One row of KPI figures: the site, a resource kind or a resource. Ratios are 0..1. */
export interface KpiFigures {
  utilisation: number | null;
  bookingRate: number | null;
  bookedVsUsed: number | null;
  noShowRate: number | null;
  peakOccupancy: number | null;
  openMinutes: number | null;
  occupiedMinutes: number | null;
  bookedMinutes: number | null;
  /** Occupied minutes inside bookings (the numerator of booked-vs-used). */
  usedBookedMinutes: number | null;
  /** Bookings whose start has passed (the denominator of the no-show rate). */
  bookings: number | null;
  noShows: number | null;
  /** Why a figure above is null, by its name. */
  reasons: Partial<Record<keyof Omit<KpiFigures, 'reasons'>, string>>;
}

export interface KindKpis extends KpiFigures {
  kind: string;
}

export interface ResourceKpis extends KpiFigures {
  resourceId: string;
  resourceName: string;
  kind: string;
}

export interface HeatmapCell {
  /** ISO weekday: 1 Monday ... 7 Sunday, site local time. */
  dayOfWeek: number;
  hour: number;
  utilisation: number | null;
}

/** The KPI API's answer for one site and period, as the report uses it. */
export interface KpiSnapshot {
  siteId: string;
  period: KpiPeriod;
  /** First local day of the period, YYYY-MM-DD. */
  date: string;
  from: string;
  to: string;
  site: KpiFigures;
  perKind: KindKpis[];
  perResource: ResourceKpis[];
  heatmap: HeatmapCell[];
}

export interface RevenueStream {
  stream: string;
  amountMinor: number;
}

export interface MoneySnapshot {
  /** Null when the money service had nothing to say for the month. */
  currency: string | null;
  mrrMinor: number | null;
  revenueByStream: RevenueStream[] | null;
  churnRate: number | null;
  membersAtStart: number | null;
  membersChurned: number | null;
  overdueCount: number | null;
  overdueAmountMinor: number | null;
  reasons: Partial<Record<Exclude<keyof MoneySnapshot, 'reasons' | 'currency'>, string>>;
}

export interface RiskFactor {
  factor: string;
  /** Points this factor adds to the score. */
  contribution: number;
  detail?: string;
}

export interface AtRiskMember {
  memberId: string;
  name: string | null;
  score: number;
  factors: RiskFactor[];
}

export interface AtRiskSnapshot {
  /** The day the scores were computed for. */
  scoredOn: string | null;
  members: AtRiskMember[] | null;
  reason?: string;
}

export abstract class ReportDataSource {
  /** The KPI API's figures for a period starting on `date` (a local day; a month period starts on the 1st). */
  abstract kpis(siteId: string, period: KpiPeriod, date: string): Promise<KpiSnapshot>;
  /** Money KPIs of a calendar month (YYYY-MM) in site local time. */
  abstract money(siteId: string, month: string): Promise<MoneySnapshot>;
  /** Members at risk of leaving as scored on or before `asOf` (YYYY-MM-DD), highest score first. */
  abstract atRisk(siteId: string, asOf: string, limit: number): Promise<AtRiskSnapshot>;
}
