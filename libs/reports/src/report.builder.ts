import type {
  BoardReport,
  DayTrendPoint,
  FigureUnit,
  HeadlineFigure,
  MonthMoneyPoint,
  StreamRow,
} from './board-report';
import { monthChange } from './month-change';
import type { AtRiskSnapshot, KpiFigures, KpiSnapshot, MoneySnapshot } from './report-data.source';

/** A member counts as at risk on the title page from this score up; the full list is in the report. */
export const AT_RISK_THRESHOLD = 60;

export interface ReportSite {
  id: string;
  name: string;
  timeZone: string;
  currency: string;
}

export interface ReportInputs {
  site: ReportSite;
  month: string;
  generatedAt: Date;
  complete: boolean;
  current: KpiSnapshot;
  previous: KpiSnapshot | null;
  /** One day-period snapshot per local day of the month, in order. */
  days: KpiSnapshot[];
  /** Money per month, oldest first, ending with the report's month. */
  money: { month: string; snapshot: MoneySnapshot }[];
  atRisk: AtRiskSnapshot;
  previousAtRisk: AtRiskSnapshot | null;
}

const OCCUPANCY_HEADLINES: { key: Exclude<keyof KpiFigures, 'reasons'>; label: string; unit: FigureUnit }[] =
  [
    { key: 'utilisation', label: 'Utilisation', unit: 'ratio' },
    { key: 'bookingRate', label: 'Booking rate', unit: 'ratio' },
    { key: 'bookedVsUsed', label: 'Booked vs used', unit: 'ratio' },
    { key: 'noShowRate', label: 'No-show rate', unit: 'ratio' },
    { key: 'peakOccupancy', label: 'Peak occupancy (people)', unit: 'count' },
  ];

/** Figures where a rise is bad news; every other headline figure is better higher. */
const LOWER_IS_BETTER = new Set(['noShowRate', 'churnRate', 'overdueInvoices', 'overdueAmount', 'atRisk']);

function figureOf(figures: KpiFigures | undefined, key: keyof KpiFigures): number | null {
  const value = figures?.[key];
  return typeof value === 'number' ? value : null;
}

function headline(
  key: string,
  label: string,
  unit: FigureUnit,
  value: number | null,
  previous: number | null,
  reason: string | undefined,
): HeadlineFigure {
  const figure: HeadlineFigure = {
    key,
    label,
    unit,
    value,
    previous,
    change: monthChange(value, previous),
    better: LOWER_IS_BETTER.has(key) ? 'lower' : 'higher',
  };
  if (value === null) figure.reason = reason ?? 'no figure for this month';
  return figure;
}

function revenueTotal(money: MoneySnapshot | undefined): number | null {
  if (!money?.revenueByStream) return null;
  return money.revenueByStream.reduce((sum, s) => sum + s.amountMinor, 0);
}

function atRiskCount(snapshot: AtRiskSnapshot | null): number | null {
  if (!snapshot?.members) return null;
  return snapshot.members.filter((m) => m.score >= AT_RISK_THRESHOLD).length;
}

function streamRows(
  current: MoneySnapshot | undefined,
  previous: MoneySnapshot | undefined,
): StreamRow[] | null {
  if (!current?.revenueByStream) return null;
  return current.revenueByStream.map((stream) => {
    const before = previous?.revenueByStream
      ? (previous.revenueByStream.find((s) => s.stream === stream.stream)?.amountMinor ?? 0)
      : null;
    return { ...stream, previousMinor: before, change: monthChange(stream.amountMinor, before) };
  });
}

function dayPoint(day: KpiSnapshot): DayTrendPoint {
  return {
    date: day.date,
    utilisation: day.site.utilisation,
    bookingRate: day.site.bookingRate,
    bookings: day.site.bookings,
    noShows: day.site.noShows,
    noShowRate: day.site.noShowRate,
  };
}

/** Days without a figure, grouped by reason, so the notes say "12 days: closed" rather than listing each day. */
function dailyNotes(days: KpiSnapshot[]): string[] {
  const byReason = new Map<string, number>();
  for (const day of days) {
    if (day.site.utilisation !== null) continue;
    const reason = day.site.reasons.utilisation ?? 'no figure';
    byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
  }
  return [...byReason].map(
    ([reason, count]) => `Daily utilisation missing on ${count} day${count === 1 ? '' : 's'}: ${reason}`,
  );
}

/** Pure: the report body from what the KPI, money and churn services said about the month and the one before. */
export function buildBoardReport(input: ReportInputs): BoardReport {
  const money = input.money.at(-1)?.snapshot;
  const previousMoney = input.money.at(-2)?.snapshot;
  const previousSite = input.previous?.site ?? null;
  const headlines: HeadlineFigure[] = OCCUPANCY_HEADLINES.map(({ key, label, unit }) =>
    headline(
      key,
      label,
      unit,
      figureOf(input.current.site, key),
      figureOf(previousSite ?? undefined, key),
      input.current.site.reasons[key],
    ),
  );
  headlines.push(
    headline(
      'mrr',
      'MRR',
      'money',
      money?.mrrMinor ?? null,
      previousMoney?.mrrMinor ?? null,
      money?.reasons.mrrMinor,
    ),
    headline(
      'revenue',
      'Revenue',
      'money',
      revenueTotal(money),
      revenueTotal(previousMoney),
      money?.reasons.revenueByStream,
    ),
    headline(
      'churnRate',
      'Member churn rate',
      'ratio',
      money?.churnRate ?? null,
      previousMoney?.churnRate ?? null,
      money?.reasons.churnRate,
    ),
    headline(
      'overdueInvoices',
      'Overdue invoices',
      'count',
      money?.overdueCount ?? null,
      previousMoney?.overdueCount ?? null,
      money?.reasons.overdueCount,
    ),
    headline(
      'overdueAmount',
      'Overdue amount',
      'money',
      money?.overdueAmountMinor ?? null,
      previousMoney?.overdueAmountMinor ?? null,
      money?.reasons.overdueAmountMinor,
    ),
    headline(
      'atRisk',
      `Members at risk (score ${AT_RISK_THRESHOLD}+)`,
      'count',
      atRiskCount(input.atRisk),
      atRiskCount(input.previousAtRisk),
      input.atRisk.reason,
    ),
  );
  const moneyTrend: MonthMoneyPoint[] = input.money.map(({ month, snapshot }) => ({
    month,
    mrrMinor: snapshot.mrrMinor,
    churnRate: snapshot.churnRate,
    revenueMinor: revenueTotal(snapshot),
  }));
  const notes = [
    ...headlines.filter((h) => h.value === null).map((h) => `${h.label}: ${h.reason}`),
    ...headlines
      .filter((h) => h.value !== null && h.previous === null)
      .map((h) => `${h.label}: no figure for the previous month, so no month-on-month change`),
    ...dailyNotes(input.days),
  ];
  if (!input.complete) notes.unshift('The month was not over when this report was generated.');
  return {
    version: 1,
    siteId: input.site.id,
    siteName: input.site.name,
    month: input.month,
    timeZone: input.site.timeZone,
    currency: money?.currency ?? input.site.currency,
    generatedAt: input.generatedAt.toISOString(),
    complete: input.complete,
    headline: headlines,
    site: input.current.site,
    previousSite,
    daily: input.days.map(dayPoint),
    heatmap: input.current.heatmap,
    perKind: input.current.perKind,
    perResource: input.current.perResource,
    revenueByStream: streamRows(money, previousMoney),
    moneyTrend,
    atRisk: { scoredOn: input.atRisk.scoredOn, members: input.atRisk.members, reason: input.atRisk.reason },
    notes,
  };
}
