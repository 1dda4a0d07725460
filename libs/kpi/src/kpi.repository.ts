import { Injectable } from '@nestjs/common';
import { Database } from '@cw/database';
import { NOT_CANCELLED_UPSTREAM, SLICES_CTE } from './materialise/materialise.repository';
import { PEAK_PACK_SCALE, unpackPeak } from './peaks';

export interface ResourceTotals {
  resourceId: string;
  occupiedS: number;
  bookedS: number;
  usedS: number;
  bookingsStarted: number;
}

export interface BookingCounts {
  resourceId: string;
  started: number;
  noShows: number;
}

/** A period's peak of one resource (resourceId set) or of one kind's resources together (resourceId null). */
export interface PeopleRow {
  resourceId: string | null;
  kind: string;
  people: number;
  at: Date;
}

export interface HourOfWeekRow {
  group: string;
  how: number;
  occupiedS: number;
}

/** [from, to) in UTC around local dates [fromDate, toDate]: bucket bounds that let the indexes work. */
export interface LocalRange {
  siteId: string;
  fromDate: string;
  toDate: string;
  from: Date;
  to: Date;
}

const num = (v: unknown): number => Number(v ?? 0);

/** Reads of the KPI aggregates; the slices and their upkeep are in MaterialiseRepository. */
@Injectable()
export class KpiRepository {
  constructor(private readonly db: Database) {}

  /** Totals per resource from the per-day aggregate (one row per resource and local day). */
  async resourceTotals(r: LocalRange): Promise<ResourceTotals[]> {
    const { rows } = await this.db.query<Record<string, unknown>>(
      `SELECT resource_id, sum(occupied_s) AS occupied_s, sum(booked_s) AS booked_s, sum(used_s) AS used_s,
              sum(bookings_started) AS started
       FROM kpi_resource_daily
       WHERE site_id = $1 AND bucket >= $2::timestamptz - interval '1 day' AND bucket < $3
         AND local_date BETWEEN $4::date AND $5::date
       GROUP BY resource_id`,
      [r.siteId, r.from.toISOString(), r.to.toISOString(), r.fromDate, r.toDate],
    );
    return rows.map((x) => ({
      resourceId: String(x.resource_id),
      occupiedS: num(x.occupied_s),
      bookedS: num(x.booked_s),
      usedS: num(x.used_s),
      bookingsStarted: num(x.started),
    }));
  }

  /**
   * The same totals computed from the raw hypertables, with no aggregate: what every KPI request would cost without
   * the slices. Used by the benchmark to report the ratio.
   */
  async rawResourceTotals(r: LocalRange, timeZone: string, open: { starts: Date[]; ends: Date[] }) {
    const { rows } = await this.db.query<Record<string, unknown>>(
      `${SLICES_CTE}
       SELECT resource_id, sum(occupied_s) AS occupied_s, sum(booked_s) AS booked_s, sum(used_s) AS used_s,
              sum(started) AS started
       -- $4 (the zone) is typed here because only the materialiser's insert reads it
       FROM slice_rows WHERE $4::text IS NOT NULL GROUP BY resource_id`,
      [
        r.siteId,
        r.from.toISOString(),
        r.to.toISOString(),
        timeZone,
        open.starts.map((d) => d.toISOString()),
        open.ends.map((d) => d.toISOString()),
      ],
    );
    return rows.map((x) => ({
      resourceId: String(x.resource_id),
      occupiedS: num(x.occupied_s),
      bookedS: num(x.booked_s),
      usedS: num(x.used_s),
      bookingsStarted: num(x.started),
    }));
  }

  /** Occupied seconds per kind and local hour of week. */
  async kindHourOfWeek(r: LocalRange): Promise<HourOfWeekRow[]> {
    const { rows } = await this.db.query<Record<string, unknown>>(
      `SELECT resource_kind AS grp, local_how, sum(occupied_s) AS occupied_s FROM kpi_kind_hourly
       WHERE site_id = $1 AND bucket >= $2::timestamptz - interval '1 hour' AND bucket < $3
         AND local_date BETWEEN $4::date AND $5::date
       GROUP BY 1, 2`,
      [r.siteId, r.from.toISOString(), r.to.toISOString(), r.fromDate, r.toDate],
    );
    return rows.map((x) => ({ group: String(x.grp), how: num(x.local_how), occupiedS: num(x.occupied_s) }));
  }

  /** Occupied seconds per local hour of week for some resources. */
  async resourceHourOfWeek(r: LocalRange, resourceIds: string[]): Promise<HourOfWeekRow[]> {
    const { rows } = await this.db.query<Record<string, unknown>>(
      `SELECT resource_id AS grp, local_how, sum(occupied_s) AS occupied_s FROM kpi_bookings_hourly
       WHERE site_id = $1 AND bucket >= $2::timestamptz - interval '1 hour' AND bucket < $3
         AND local_date BETWEEN $4::date AND $5::date
         AND resource_id = ANY($6::text[])
       GROUP BY 1, 2`,
      [r.siteId, r.from.toISOString(), r.to.toISOString(), r.fromDate, r.toDate, resourceIds],
    );
    return rows.map((x) => ({ group: String(x.grp), how: num(x.local_how), occupiedS: num(x.occupied_s) }));
  }

  /** Bookings that started in [from, to) (not cancelled) and how many of them were released as no-shows. */
  async bookingCounts(siteId: string, from: Date, to: Date): Promise<BookingCounts[]> {
    const { rows } = await this.db.query<Record<string, unknown>>(
      `SELECT b.resource_id, count(*) AS started, count(r.booking_id) FILTER (WHERE r.reason = 'no_show') AS no_shows
       FROM bookings b
       LEFT JOIN booking_releases r ON r.site_id = b.site_id AND r.booking_id = b.id
       WHERE b.site_id = $1 AND b.status <> 'cancelled' AND b.start_at >= $2 AND b.start_at < $3
         AND ${NOT_CANCELLED_UPSTREAM}
       GROUP BY b.resource_id`,
      [siteId, from.toISOString(), to.toISOString()],
    );
    return rows.map((x) => ({
      resourceId: String(x.resource_id),
      started: num(x.started),
      noShows: num(x.no_shows),
    }));
  }

  /** Most people in the building at once in [from, to), and the 15-minute bucket it happened in. */
  async peakPeople(siteId: string, from: Date, to: Date): Promise<{ people: number; at: Date } | null> {
    const { rows } = await this.db.query<{ people: number; ts: Date }>(
      `SELECT people, ts FROM kpi_site_peaks WHERE site_id = $1 AND ts >= $2 AND ts < $3
       ORDER BY people DESC, ts LIMIT 1`,
      [siteId, from.toISOString(), to.toISOString()],
    );
    return rows[0] ? { people: Number(rows[0].people), at: new Date(rows[0].ts) } : null;
  }

  /**
   * Most people at once in [from, to) per resource and per kind, and the 15-minute bucket it was first reached in:
   * the largest of the days' peaks the materialiser wrote (one row per resource or kind and day).
   */
  async peoplePeaks(siteId: string, from: Date, to: Date): Promise<PeopleRow[]> {
    // A max() over the packed pair is one hashed pass; sorting a year of day rows by (people, ts) spilled to disk
    // and took four times as long on the embedded build.
    const { rows } = await this.db.query<{
      resource_id: string | null;
      resource_kind: string;
      packed: unknown;
    }>(
      `SELECT resource_id, resource_kind,
              max(people::bigint * ${PEAK_PACK_SCALE} - extract(epoch FROM ts)::bigint) AS packed
       FROM kpi_people_peaks WHERE site_id = $1 AND ts >= $2 AND ts < $3
       GROUP BY resource_kind, resource_id`,
      [siteId, from.toISOString(), to.toISOString()],
    );
    return rows.map((x) => ({
      resourceId: x.resource_id,
      kind: x.resource_kind,
      ...unpackPeak(String(x.packed)),
    }));
  }

  /** Resources whose own people counter had reported before `to`. */
  async peopleCounters(siteId: string, to: Date): Promise<Set<string>> {
    const { rows } = await this.db.query<{ resource_id: string }>(
      'SELECT resource_id FROM kpi_people_counters WHERE site_id = $1 AND since < $2',
      [siteId, to.toISOString()],
    );
    return new Set(rows.map((r) => r.resource_id));
  }

  /** Occupied seconds per local hour of week over [from, to) for one resource or one kind: the forecast's basis. */
  async occupancyByHourOfWeek(
    siteId: string,
    target: { resourceId: string } | { kind: string },
    from: Date,
    to: Date,
  ): Promise<number[]> {
    const byResource = 'resourceId' in target;
    const { rows } = await this.db.query<{ local_how: number; occupied_s: string }>(
      byResource
        ? `SELECT local_how, sum(occupied_s) AS occupied_s FROM kpi_bookings_hourly
           WHERE site_id = $1 AND resource_id = $2 AND bucket >= $3 AND bucket < $4 GROUP BY 1`
        : `SELECT local_how, sum(occupied_s) AS occupied_s FROM kpi_kind_hourly
           WHERE site_id = $1 AND resource_kind = $2 AND bucket >= $3 AND bucket < $4 GROUP BY 1`,
      [siteId, byResource ? target.resourceId : target.kind, from.toISOString(), to.toISOString()],
    );
    const out = new Array<number>(168).fill(0);
    for (const row of rows) out[Number(row.local_how)] = Number(row.occupied_s);
    return out;
  }
}
