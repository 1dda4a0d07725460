import { Injectable } from '@nestjs/common';
import { AtRiskList, ChurnService, MoneyKpisService } from '@cw/churn';
import { DomainError, ErrorCode } from '@cw/common';
import { KpiFigures as ServiceFigures, KpiService, SiteKpis } from '@cw/kpi';
import type {
  AtRiskSnapshot,
  KpiFigures,
  KpiPeriod,
  KpiSnapshot,
  MoneySnapshot,
  ReportDataSource,
} from '../report-data.source';
import { reasonInWords } from './null-reasons';

const OCCUPANCY = ['utilisation', 'bookingRate', 'bookedVsUsed', 'noShowRate', 'peakOccupancy'] as const;

export function toFigures(f: ServiceFigures): KpiFigures {
  const reasons: KpiFigures['reasons'] = {};
  for (const key of OCCUPANCY) {
    const reason = reasonInWords(f[key].reason);
    if (f[key].value === null && reason) reasons[key] = reason;
  }
  return {
    utilisation: f.utilisation.value,
    bookingRate: f.bookingRate.value,
    bookedVsUsed: f.bookedVsUsed.value,
    noShowRate: f.noShowRate.value,
    peakOccupancy: f.peakOccupancy.value,
    openMinutes: f.totals.openMinutes,
    occupiedMinutes: f.totals.occupiedMinutes,
    bookedMinutes: f.totals.bookedMinutes,
    usedBookedMinutes: f.totals.usedMinutes,
    bookings: f.totals.bookingsStarted,
    noShows: f.totals.noShows,
    reasons,
  };
}

/** The KPI API's answer in the report's terms; the figures are the API's own, unchanged. */
export function toSnapshot(kpis: SiteKpis): KpiSnapshot {
  return {
    siteId: kpis.siteId,
    period: kpis.period.kind,
    date: kpis.period.from,
    from: kpis.period.start,
    to: kpis.period.end,
    site: toFigures(kpis.site),
    perKind: kpis.kinds.map((k) => ({ kind: k.kind, ...toFigures(k) })),
    perResource: kpis.resources.map((r) => ({
      resourceId: r.resourceId,
      resourceName: r.name,
      kind: r.kind,
      ...toFigures(r),
    })),
    heatmap: kpis.heatmap.site.map((utilisation, how) => ({
      dayOfWeek: Math.floor(how / 24) + 1,
      hour: how % 24,
      utilisation,
    })),
  };
}

function noMoney(reason: string): MoneySnapshot {
  return {
    currency: null,
    mrrMinor: null,
    revenueByStream: null,
    churnRate: null,
    membersAtStart: null,
    membersChurned: null,
    overdueCount: null,
    overdueAmountMinor: null,
    reasons: {
      mrrMinor: reason,
      revenueByStream: reason,
      churnRate: reason,
      overdueCount: reason,
      overdueAmountMinor: reason,
    },
  };
}

/** The report's data from the services behind the KPI API (libs/kpi) and the money and churn APIs (libs/churn). */
@Injectable()
export class ServicesReportDataSource implements ReportDataSource {
  constructor(
    private readonly kpiService: KpiService,
    private readonly moneyService: MoneyKpisService,
    private readonly churn: ChurnService,
  ) {}

  async kpis(siteId: string, period: KpiPeriod, date: string): Promise<KpiSnapshot> {
    return toSnapshot(await this.kpiService.siteKpis(siteId, { period, date }));
  }

  async money(siteId: string, month: string): Promise<MoneySnapshot> {
    const answer = await this.moneyService.forPeriod(siteId, 'month', `${month}-01`);
    if (answer.kpis === null) return noMoney(answer.reason);
    const k = answer.kpis;
    const churnReason = k.churnRate.value === null ? k.churnRate.reason : undefined;
    return {
      currency: k.currency,
      mrrMinor: k.mrr.endMinor,
      revenueByStream: k.revenue.streams
        .filter((s) => s.invoicedMinor !== 0 || s.creditedMinor !== 0)
        .map((s) => ({ stream: s.stream, amountMinor: s.netMinor })),
      churnRate: k.churnRate.value,
      membersAtStart: k.churnRate.denominator,
      membersChurned: k.churnRate.numerator,
      overdueCount: k.overdue.count,
      overdueAmountMinor: k.overdue.amountMinor,
      reasons: churnReason ? { churnRate: churnReason } : {},
    };
  }

  async atRisk(siteId: string, asOf: string, limit: number): Promise<AtRiskSnapshot> {
    let list: AtRiskList;
    try {
      list = await this.churn.atRisk(siteId, { day: asOf, min: 0, limit });
    } catch (error) {
      // A day the churn service refuses (after today at the site) is a missing list, not a failed report.
      if (error instanceof DomainError && error.code === ErrorCode.Validation) {
        return { scoredOn: null, members: null, reason: error.message };
      }
      throw error;
    }
    if (list.members.length === 0 && list.unscored.length > 0) {
      return {
        scoredOn: list.scoredOn,
        members: null,
        reason: 'no member has enough history to be scored yet',
      };
    }
    return {
      scoredOn: list.scoredOn,
      members: list.members.map((m) => ({
        memberId: m.memberId,
        name: m.name,
        score: m.score,
        factors: m.factors
          .filter((f) => f.contribution > 0)
          .map((f) => ({ factor: f.factor, contribution: f.contribution, detail: f.detail })),
      })),
    };
  }
}
