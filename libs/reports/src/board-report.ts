import type {
  AtRiskMember,
  HeatmapCell,
  KindKpis,
  KpiFigures,
  ResourceKpis,
  RevenueStream,
} from './report-data.source';

/** How a headline figure reads: ratios in percent (changes in points), money in minor units, plain counts. */
export type FigureUnit = 'ratio' | 'count' | 'money';

/** Month-on-month: points for ratios, percent for counts and money; null when either month has no figure. */
export interface MonthChange {
  absolute: number;
  /** (current - previous) / previous; null when the previous value is 0. */
  relative: number | null;
}

export interface HeadlineFigure {
  key: string;
  label: string;
  unit: FigureUnit;
  value: number | null;
  previous: number | null;
  change: MonthChange | null;
  /** Which way is good news: more utilisation, fewer no-shows. */
  better: 'higher' | 'lower';
  /** Why `value` is null (or why the change is missing), in words a board member can read. */
  reason?: string;
}

export interface DayTrendPoint {
  date: string;
  utilisation: number | null;
  bookingRate: number | null;
  bookings: number | null;
  noShows: number | null;
  noShowRate: number | null;
}

export interface MonthMoneyPoint {
  month: string;
  mrrMinor: number | null;
  churnRate: number | null;
  revenueMinor: number | null;
}

export interface StreamRow extends RevenueStream {
  previousMinor: number | null;
  change: MonthChange | null;
}

/** The stored body of a board report (board_reports.data): every number the page, the PDF and the charts show. */
export interface BoardReport {
  version: 1;
  siteId: string;
  siteName: string;
  month: string;
  timeZone: string;
  currency: string;
  generatedAt: string;
  /** False when generated before the month ended: figures cover the days up to then. */
  complete: boolean;
  headline: HeadlineFigure[];
  site: KpiFigures;
  previousSite: KpiFigures | null;
  daily: DayTrendPoint[];
  heatmap: HeatmapCell[];
  perKind: KindKpis[];
  perResource: ResourceKpis[];
  revenueByStream: StreamRow[] | null;
  moneyTrend: MonthMoneyPoint[];
  atRisk: { scoredOn: string | null; members: AtRiskMember[] | null; reason?: string };
  /** Every missing figure with its reason, collected for the report's notes. */
  notes: string[];
}
