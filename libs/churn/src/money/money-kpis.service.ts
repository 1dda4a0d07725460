import { Injectable } from '@nestjs/common';
import { Clock, notFound } from '@cw/common';
import { localDay, shiftDay } from '../model/local-days';
import { MoneyKpisRepository } from './money-kpis.repository';
import { lastDayOf, LocalPeriod, PeriodKind, periodContaining } from './money-periods';

export const REVENUE_STREAMS = ['membership', 'proration', 'usage', 'one_off', 'pass', 'correction'] as const;

export interface StreamRevenue {
  stream: string;
  /** Net of tax, from invoices issued in the period. */
  invoicedMinor: number;
  /** Net of tax, from credit notes issued in the period (a positive number taken off). */
  creditedMinor: number;
  netMinor: number;
}

/** A ratio with what it was computed from; null with the reason when its denominator is zero. */
export interface Ratio {
  value: number | null;
  numerator: number;
  denominator: number;
  reason?: string;
}

export interface MoneyKpiValues {
  currency: string;
  /** Sum of monthly contract prices active on the period's first and last day. */
  mrr: { startMinor: number; endMinor: number };
  revenue: { streams: StreamRevenue[]; totalNetMinor: number };
  /** Members active on the first day whose last contract ended in the period / members active on the first day. */
  churnRate: Ratio;
  /** Members holding a desk plan on the last day / desk capacity. */
  membershipOccupancy: Ratio;
  /** Invoices due before `asOf` and unpaid at its start. */
  overdue: { count: number; amountMinor: number; asOf: string };
}

export type MoneyKpis = {
  siteId: string;
  period: LocalPeriod;
  /** True while the period is not over: values are as known now. */
  partial: boolean;
} & ({ kpis: MoneyKpiValues } | { kpis: null; reason: string });

const ratio = (numerator: number, denominator: number, reason: string): Ratio =>
  denominator > 0
    ? { value: numerator / denominator, numerator, denominator }
    : { value: null, numerator, denominator, reason };

/** MRR, revenue by stream, member churn rate, membership occupancy and overdue invoices of a site-local period. */
@Injectable()
export class MoneyKpisService {
  constructor(
    private readonly repo: MoneyKpisRepository,
    private readonly clock: Clock,
  ) {}

  async forPeriod(siteId: string, kind: PeriodKind, date: string): Promise<MoneyKpis> {
    const site = await this.repo.site(siteId);
    if (!site) throw notFound(`site ${siteId}`);
    const period = periodContaining(kind, date);
    const today = localDay(this.clock.now(), site.timeZone);
    const partial = period.end > today;
    if (period.start > today)
      return { siteId, period, partial, kpis: null, reason: `the period starts after today (${today})` };
    // a period not over yet is measured as of the start of tomorrow: what is known now
    const asOf = partial ? shiftDay(today, 1) : period.end;
    const [membership, capacity, streams, overdue] = await Promise.all([
      this.repo.membership(siteId, period.start, lastDayOf(period), period.end),
      this.repo.deskCapacity(siteId),
      this.repo.revenueByStream(siteId, period.start, period.end),
      this.repo.overdue(siteId, asOf, site.timeZone),
    ]);
    const revenue = this.streams(streams);
    return {
      siteId,
      period,
      partial,
      kpis: {
        currency: site.currency,
        mrr: { startMinor: Number(membership.mrr_start), endMinor: Number(membership.mrr_end) },
        revenue: { streams: revenue, totalNetMinor: revenue.reduce((sum, s) => sum + s.netMinor, 0) },
        churnRate: ratio(
          membership.churned,
          membership.active_start,
          'no member was active on the first day',
        ),
        membershipOccupancy: ratio(membership.desk_members_end, capacity, 'the site has no desk capacity'),
        overdue: { count: overdue.count, amountMinor: Number(overdue.amount ?? 0), asOf },
      },
    };
  }

  private streams(
    rows: Array<{ stream: string; invoice_kind: string; amount: string | number }>,
  ): StreamRevenue[] {
    const names = [
      ...REVENUE_STREAMS,
      ...rows.map((r) => r.stream).filter((s) => !REVENUE_STREAMS.includes(s as never)),
    ];
    return [...new Set(names)].map((stream) => {
      const of = (kind: string) =>
        rows
          .filter((r) => r.stream === stream && r.invoice_kind === kind)
          .reduce((sum, r) => sum + Number(r.amount), 0);
      const invoicedMinor = of('invoice');
      // credit notes may carry negative or positive line amounts: either way they take money off
      const creditedMinor = Math.abs(of('credit_note'));
      return { stream, invoicedMinor, creditedMinor, netMinor: invoicedMinor - creditedMinor };
    });
  }
}
