import type {
  AtRiskSnapshot,
  KpiFigures,
  KpiPeriod,
  KpiSnapshot,
  MoneySnapshot,
  ReportDataSource,
} from '../report-data.source';

/** Deterministic figures shaped like the KPI and money services' answers, for specs of the report's own logic. */

const KINDS = ['meeting_room', 'desk', 'phone_booth'];

function figures(seed: number): KpiFigures {
  const open = 600;
  const occupied = Math.round(open * (0.3 + 0.4 * frac(seed)));
  const booked = Math.round(open * (0.2 + 0.5 * frac(seed + 1)));
  const used = Math.min(occupied, Math.round(booked * (0.6 + 0.3 * frac(seed + 2))));
  const bookings = 4 + Math.round(10 * frac(seed + 3));
  const noShows = Math.round(bookings * 0.2 * frac(seed + 4));
  return {
    utilisation: occupied / open,
    bookingRate: booked / open,
    bookedVsUsed: booked ? used / booked : null,
    noShowRate: bookings ? noShows / bookings : null,
    peakOccupancy: 3 + Math.round(10 * frac(seed + 5)),
    openMinutes: open,
    occupiedMinutes: occupied,
    bookedMinutes: booked,
    usedBookedMinutes: used,
    bookings,
    noShows,
    reasons: {},
  };
}

function frac(seed: number): number {
  const x = Math.sin(seed * 12.9898) * 43758.5453;
  return x - Math.floor(x);
}

function seedOf(text: string): number {
  let h = 7;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) % 100_003;
  return h;
}

export function fixtureKpis(siteId: string, period: KpiPeriod, date: string, closed = false): KpiSnapshot {
  const seed = seedOf(`${period}${date}`);
  const site: KpiFigures = closed
    ? {
        ...figures(seed),
        utilisation: null,
        bookingRate: null,
        openMinutes: 0,
        reasons: {
          utilisation: 'the site is closed on this day',
          bookingRate: 'the site is closed on this day',
        },
      }
    : figures(seed);
  return {
    siteId,
    period,
    date,
    from: `${date}T00:00:00Z`,
    to: `${date}T23:59:59Z`,
    site,
    perKind: KINDS.map((kind, i) => ({ kind, ...figures(seed + 10 * (i + 1)) })),
    perResource: ['room-1', 'room-2', 'desk-1'].map((id, i) => ({
      resourceId: id,
      resourceName: id === 'desk-1' ? 'Desk "one", window' : `Room ${i + 1}`,
      kind: KINDS[i === 2 ? 1 : 0],
      ...figures(seed + 100 * (i + 1)),
    })),
    heatmap: Array.from({ length: 7 * 24 }, (_, i) => ({
      dayOfWeek: Math.floor(i / 24) + 1,
      hour: i % 24,
      utilisation: i % 24 < 8 || i % 24 >= 20 ? null : frac(seed + i),
    })),
  };
}

export function fixtureMoney(month: string): MoneySnapshot {
  const seed = seedOf(month);
  return {
    currency: 'EUR',
    mrrMinor: 1_000_000 + Math.round(200_000 * frac(seed)),
    revenueByStream: [
      { stream: 'membership', amountMinor: 900_000 + Math.round(100_000 * frac(seed + 1)) },
      { stream: 'usage', amountMinor: 50_000 + Math.round(20_000 * frac(seed + 2)) },
      { stream: 'passes', amountMinor: 12_000 },
    ],
    churnRate: 0.02 + 0.05 * frac(seed + 3),
    membersAtStart: 120,
    membersChurned: Math.round(120 * (0.02 + 0.05 * frac(seed + 3))),
    overdueCount: 3,
    overdueAmountMinor: 45_000,
    reasons: {},
  };
}

export function fixtureAtRisk(asOf: string, count = 5): AtRiskSnapshot {
  return {
    scoredOn: asOf,
    members: Array.from({ length: count }, (_, i) => ({
      memberId: `m-${i + 1}`,
      name: `Member ${i + 1}`,
      score: 90 - i * 9,
      factors: [
        { factor: 'visit_trend', contribution: 30 - i, detail: 'visits down 60% on the previous 8 weeks' },
        { factor: 'days_since_last_visit', contribution: 20 - i },
      ],
    })),
  };
}

/** A data source over the fixtures above; weekends (Sat, Sun) are closed days, as a real site's may be. */
export class FixtureReportDataSource implements ReportDataSource {
  readonly calls: string[] = [];

  kpis(siteId: string, period: KpiPeriod, date: string): Promise<KpiSnapshot> {
    this.calls.push(`kpis ${period} ${date}`);
    const weekday = new Date(`${date}T12:00:00Z`).getUTCDay();
    return Promise.resolve(
      fixtureKpis(siteId, period, date, period === 'day' && (weekday === 0 || weekday === 6)),
    );
  }

  money(_siteId: string, month: string): Promise<MoneySnapshot> {
    this.calls.push(`money ${month}`);
    return Promise.resolve(fixtureMoney(month));
  }

  atRisk(_siteId: string, asOf: string): Promise<AtRiskSnapshot> {
    this.calls.push(`atRisk ${asOf}`);
    return Promise.resolve(fixtureAtRisk(asOf));
  }
}
