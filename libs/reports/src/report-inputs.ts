import { daysOfMonth, firstDayOf, localDay, monthsEndingWith, previousMonth } from './month';
import { ReportInputs, ReportSite } from './report.builder';
import type { ReportDataSource } from './report-data.source';

/** Months of MRR and churn shown as a trend, ending with the report's month. */
export const MONEY_TREND_MONTHS = 6;
/** At-risk members listed in a report. */
export const AT_RISK_LIMIT = 50;

const lastDayOf = (month: string) => daysOfMonth(month).at(-1)!;

/**
 * Everything the report reads, asked of the data source: the month and the one before as month periods, each day
 * of the month, money for the trend months, and the at-risk list at the end of the month (or today, mid-month).
 */
export async function collectReportInputs(
  source: ReportDataSource,
  site: ReportSite,
  month: string,
  now: Date,
): Promise<ReportInputs> {
  const today = localDay(now, site.timeZone);
  const complete = today > lastDayOf(month);
  const asOf = complete ? lastDayOf(month) : today;
  const previous = previousMonth(month);
  const [current, before, days, money, atRisk, previousAtRisk] = await Promise.all([
    source.kpis(site.id, 'month', firstDayOf(month)),
    source.kpis(site.id, 'month', firstDayOf(previous)),
    // A few at a time: a database server answers them in parallel; the embedded one queues them, at no cost.
    pooled(daysOfMonth(month), (day) => source.kpis(site.id, 'day', day)),
    pooled(monthsEndingWith(month, MONEY_TREND_MONTHS), async (m) => ({
      month: m,
      snapshot: await source.money(site.id, m),
    })),
    source.atRisk(site.id, asOf, AT_RISK_LIMIT),
    source.atRisk(site.id, lastDayOf(previous), AT_RISK_LIMIT),
  ]);
  return {
    site,
    month,
    generatedAt: now,
    complete,
    current,
    previous: before,
    days,
    money,
    atRisk,
    previousAtRisk,
  };
}

const CONCURRENCY = 4;

/** `fn` over the items, at most CONCURRENCY at once, results in the items' order. */
async function pooled<T, R>(items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      out[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return out;
}
