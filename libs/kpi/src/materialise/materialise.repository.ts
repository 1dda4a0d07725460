import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '@cw/database';
import { EVIDENCE_RULES } from './evidence-rules';
import { PEOPLE_PEAKS_CTE } from './people-peaks.repository';

export interface SliceWindow {
  siteId: string;
  timeZone: string;
  from: Date;
  to: Date;
  openStarts: Date[];
  openEnds: Date[];
}

/** Continuous aggregates in refresh order: each one reads the one before it. */
export const KPI_AGGREGATES = [
  'kpi_occupancy_15m',
  'kpi_bookings_hourly',
  'kpi_resource_daily',
  'kpi_kind_hourly',
  'kpi_member_visits_daily',
] as const;

const R = EVIDENCE_RULES;

/**
 * A booking its booking system cancelled before the start counts as cancelled even when the platform released it
 * first: a release decided before the cancellation arrived (a back-fill, a late integration) is not a no-show.
 * Expects the booking aliased `b`.
 */
export const NOT_CANCELLED_UPSTREAM = `NOT EXISTS (
  SELECT 1 FROM booking_events ce
  WHERE ce.site_id = b.site_id AND ce.booking_id = b.id AND ce.status = 'cancelled' AND ce.ts <= b.start_at)`;

const HOLD = `make_interval(secs => ${R.holdSeconds})`;
const DEBOUNCE = `make_interval(secs => ${R.debounceSeconds})`;

/**
 * The end of the occupied span a presence reading gives, or NULL when it gives none, from the reading (its time and
 * value) and its neighbours: a 1 holds until the next reading or HOLD after it, whichever comes first; a 0 between two
 * 1s less than DEBOUNCE apart is bridged up to the next reading. One expression for a reading and for its neighbours,
 * so a run's first and last reading are found by the same rule.
 */
const spanEnd = (ts: string, value: string, prevValue: string, nextTs: string, nextValue: string): string =>
  `CASE WHEN ${value} >= 1 THEN LEAST(COALESCE(${nextTs}, ${ts} + ${HOLD}), ${ts} + ${HOLD})
        WHEN ${value} < 1 AND ${prevValue} >= 1 AND ${nextValue} >= 1 AND ${nextTs} < ${ts} + ${DEBOUNCE}
        THEN ${nextTs} END`;

/**
 * Occupied, booked and used time per resource and 15-minute bucket, inside the open intervals ($5, $6), from the
 * raw evidence of [$2, $3). Intervals are merged per resource (several sensors, overlapping holds) before they are
 * measured, so nothing is counted twice. Ends with the relation `slice_rows`; the materialiser inserts it, the raw KPI
 * path (no aggregates, for comparison) sums it. PEOPLE_PEAKS_CTE follows it in the materialiser's statement and reads
 * its `open`, `res` and `occupied`.
 */
export const SLICES_CTE = `
WITH open AS (
  SELECT s, e FROM unnest($5::timestamptz[], $6::timestamptz[]) AS o(s, e)
), res AS (
  SELECT id, kind, capacity FROM resources WHERE site_id = $1
), sensed AS (
  SELECT DISTINCT unnest(resource_ids) AS resource_id FROM devices WHERE site_id = $1 AND type = 'sensor'
), readings AS (
  -- each reading with its two neighbours either side, in one pass over the sensor's readings in time order
  SELECT sensor_id, resource_id, ts, value,
         lag(ts) OVER w AS prev_ts, lag(value) OVER w AS prev_value, lag(value, 2) OVER w AS prev2_value,
         lead(ts) OVER w AS next_ts, lead(value) OVER w AS next_value,
         lead(ts, 2) OVER w AS next2_ts, lead(value, 2) OVER w AS next2_value
  FROM sensor_readings
  WHERE site_id = $1 AND kind = 'presence' AND resource_id IS NOT NULL
    AND ts >= $2::timestamptz - ${HOLD} AND ts < $3
  WINDOW w AS (PARTITION BY sensor_id ORDER BY ts)
), reading_spans AS (
  -- the span [ts, e) of each reading, and of the readings just before and after it
  SELECT sensor_id, resource_id, ts, prev_ts, next_ts,
         ${spanEnd('ts', 'value', 'prev_value', 'next_ts', 'next_value')} AS e,
         ${spanEnd('prev_ts', 'prev_value', 'prev2_value', 'ts', 'value')} AS prev_e,
         ${spanEnd('next_ts', 'next_value', 'value', 'next2_ts', 'next2_value')} AS next_e
  FROM readings
), sensor_edges AS (
  -- A span ends at the latest at the next reading, so a sensor's spans never overlap: two consecutive spans either
  -- touch (one run) or leave a gap. A sensor reporting every minute sends hundreds of readings per run; only the
  -- first and the last reading of each run go on to the merge below.
  SELECT sensor_id, resource_id, ts, e,
         COALESCE(prev_e > prev_ts AND prev_e >= ts, false) AS continues,
         COALESCE(next_e > next_ts AND e >= next_ts, false) AS continued
  FROM reading_spans WHERE e > ts
), sensor_runs AS (
  SELECT resource_id, ts AS s, CASE WHEN continued THEN lead(e) OVER w ELSE e END AS e, continues
  FROM sensor_edges WHERE NOT (continues AND continued)
  WINDOW w AS (PARTITION BY sensor_id ORDER BY ts)
), evidence AS (
  SELECT resource_id, s, e FROM sensor_runs WHERE NOT continues
  UNION ALL
  SELECT r.id, d.ts, d.ts + make_interval(secs => ${R.doorHoldSeconds})
  FROM door_events d CROSS JOIN LATERAL unnest(d.resource_ids) AS rid(id) JOIN res r ON r.id = rid.id
  WHERE d.site_id = $1 AND d.result = 'granted' AND d.direction IS DISTINCT FROM 'out'
    AND d.ts >= $2::timestamptz - make_interval(secs => ${R.doorHoldSeconds}) AND d.ts < $3
    AND r.kind IN (${R.doorKinds.map((k) => `'${k}'`).join(', ')}) AND r.capacity <= ${R.doorMaxCapacity}
    AND r.id NOT IN (SELECT resource_id FROM sensed WHERE resource_id IS NOT NULL)
), booking_spans AS (
  SELECT resource_id, start_at AS s, end_at AS e FROM bookings b
  WHERE site_id = $1 AND status <> 'cancelled' AND start_at < $3 AND end_at > $2 AND ${NOT_CANCELLED_UPSTREAM}
), spans AS (
  SELECT 'o' AS m, resource_id, s, e FROM evidence WHERE e > s
  UNION ALL
  SELECT 'b', resource_id, s, e FROM booking_spans
), marked AS (
  SELECT m, resource_id, s, e,
         CASE WHEN s <= max(e) OVER (PARTITION BY m, resource_id ORDER BY s, e
                                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) THEN 0 ELSE 1 END AS starts
  FROM spans
), grouped AS (
  SELECT m, resource_id, s, e, sum(starts) OVER (PARTITION BY m, resource_id ORDER BY s, e) AS g FROM marked
), merged AS (
  SELECT m, resource_id, min(s) AS s, max(e) AS e FROM grouped GROUP BY m, resource_id, g
), booked AS MATERIALIZED (
  SELECT resource_id, s, e FROM merged WHERE m = 'b'
), occupied AS MATERIALIZED (
  SELECT resource_id, s, e FROM merged WHERE m = 'o'
), used AS (
  -- Bookings are the few side: per booking, its resource's occupied intervals (a self-join of merged would compare
  -- every interval with every other one).
  SELECT 'u' AS m, o.resource_id, GREATEST(o.s, b.s) AS s, LEAST(o.e, b.e) AS e
  FROM booked b JOIN occupied o ON o.resource_id = b.resource_id AND o.s < b.e AND b.s < o.e
), clipped AS (
  SELECT p.m, p.resource_id, GREATEST(p.s, o.s, $2) AS s, LEAST(p.e, o.e, $3) AS e
  FROM (SELECT * FROM merged UNION ALL SELECT * FROM used) p JOIN open o ON p.s < o.e AND o.s < p.e
), split AS (
  SELECT c.m, c.resource_id, b AS bucket,
         extract(epoch FROM LEAST(c.e, b + interval '15 minutes') - GREATEST(c.s, b)) AS secs
  FROM clipped c
  CROSS JOIN LATERAL generate_series(time_bucket('15 minutes', c.s), c.e - interval '1 microsecond',
                                     interval '15 minutes') AS b
  WHERE c.e > c.s
), measured AS (
  SELECT resource_id, bucket,
         round(sum(secs) FILTER (WHERE m = 'o'))::int AS occupied_s,
         round(sum(secs) FILTER (WHERE m = 'b'))::int AS booked_s,
         round(sum(secs) FILTER (WHERE m = 'u'))::int AS used_s
  FROM split GROUP BY resource_id, bucket
), started AS (
  SELECT resource_id, time_bucket('15 minutes', start_at) AS bucket, count(*)::int AS n FROM bookings b
  WHERE site_id = $1 AND status <> 'cancelled' AND start_at >= $2 AND start_at < $3 AND ${NOT_CANCELLED_UPSTREAM}
  GROUP BY 1, 2
), slice_rows AS (
  SELECT COALESCE(m.resource_id, s.resource_id) AS resource_id, COALESCE(m.bucket, s.bucket) AS bucket,
         COALESCE(m.occupied_s, 0) AS occupied_s, COALESCE(m.booked_s, 0) AS booked_s,
         COALESCE(m.used_s, 0) AS used_s, COALESCE(s.n, 0) AS started
  FROM measured m FULL JOIN started s ON s.resource_id = m.resource_id AND s.bucket = m.bucket
)`;

// The people peaks ride in the same statement (a data-modifying CTE) so the evidence is merged once for both.
const SLICES_SQL = `${SLICES_CTE}${PEOPLE_PEAKS_CTE}
INSERT INTO kpi_resource_slices
  (ts, site_id, resource_id, resource_kind, local_date, local_how, occupied_s, booked_s, used_s, bookings_started)
SELECT x.bucket, $1, x.resource_id, r.kind, (x.bucket AT TIME ZONE $4)::date,
       ((extract(isodow FROM x.bucket AT TIME ZONE $4)::int - 1) * 24 + extract(hour FROM x.bucket AT TIME ZONE $4)::int),
       x.occupied_s, x.booked_s, x.used_s, x.started
FROM slice_rows x JOIN res r ON r.id = x.resource_id`;

const SLICES_WORK_MEM = '128MB';

/** Most people in at once per bucket, from entrance counters: in minus out since local midnight, outs first. */
const PEAKS_SQL = `
WITH counters AS (
  SELECT id FROM devices WHERE site_id = $1 AND type = 'sensor' AND resource_ids = '{}'
), flows AS (
  SELECT ts, CASE kind WHEN 'people_in' THEN value ELSE -value END AS delta, (ts AT TIME ZONE $4)::date AS d
  FROM sensor_readings
  WHERE site_id = $1 AND sensor_id IN (SELECT id FROM counters) AND kind IN ('people_in', 'people_out')
    AND ts >= $2 AND ts < $3
), level AS (
  SELECT ts, d, sum(delta) OVER (PARTITION BY d ORDER BY ts, delta ROWS UNBOUNDED PRECEDING) AS people FROM flows
)
INSERT INTO kpi_site_peaks (ts, site_id, local_date, people)
SELECT time_bucket('15 minutes', ts), $1, d, GREATEST(0, max(people))::int FROM level GROUP BY 1, 3`;

const ENTRIES_SQL = `
INSERT INTO kpi_member_entries (ts, site_id, member_id, local_date)
SELECT ts, site_id, member_id, (ts AT TIME ZONE $4)::date FROM door_events
WHERE site_id = $1 AND ts >= $2 AND ts < $3 AND result = 'granted' AND member_id IS NOT NULL
  AND resource_ids = '{}' AND direction IS DISTINCT FROM 'out'`;

/** All SQL of the materialiser and of the aggregates' upkeep. */
@Injectable()
export class MaterialiseRepository {
  constructor(private readonly db: Database) {}

  /** Loads the TSL module where the embedded build needs it (see migration 0010); a no-op on a server. */
  async enableTimescaleFeatures(q: Queryable = this.db): Promise<void> {
    await q.query('SELECT cw_enable_tsl()');
  }

  /** Replaces the slices of [from, to) of one site, in one transaction: readers never see a half-written day. */
  async writeSlices(w: SliceWindow): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.enableTimescaleFeatures(tx);
      const range = [w.siteId, w.from.toISOString(), w.to.toISOString()];
      for (const table of ['kpi_resource_slices', 'kpi_people_peaks', 'kpi_site_peaks', 'kpi_member_entries'])
        await tx.query(`DELETE FROM ${table} WHERE site_id = $1 AND ts >= $2 AND ts < $3`, range);
      const params = [...range, w.timeZone];
      // A week of a 300-sensor site at a reading a minute is about a million readings to sort by sensor and time
      // (some 100 MB): in memory rather than through temporary files, for this transaction only.
      await tx.query(`SET LOCAL work_mem = '${SLICES_WORK_MEM}'`);
      await tx.query(SLICES_SQL, [
        ...params,
        w.openStarts.map((d) => d.toISOString()),
        w.openEnds.map((d) => d.toISOString()),
      ]);
      await tx.query(PEAKS_SQL, params);
      await tx.query(ENTRIES_SQL, params);
    });
  }

  /**
   * Refreshes every aggregate over [from, to), widened to whole UTC days: a refresh only rewrites buckets that lie
   * entirely inside its window, and the daily aggregates have UTC-day buckets.
   */
  async refreshAggregates(from: Date, to: Date): Promise<void> {
    await this.enableTimescaleFeatures();
    const day = 86_400_000;
    const start = new Date(Math.floor(from.getTime() / day) * day).toISOString();
    const end = new Date(Math.ceil(to.getTime() / day) * day + day).toISOString();
    for (const view of KPI_AGGREGATES)
      await this.db.query(
        `CALL refresh_continuous_aggregate($1::regclass, $2::timestamptz, $3::timestamptz)`,
        [view, start, end],
      );
  }

  async markDirty(siteId: string, dates: string[]): Promise<void> {
    if (dates.length === 0) return;
    await this.db.query(
      `INSERT INTO kpi_dirty_days (site_id, local_date)
       SELECT $1, d FROM unnest($2::date[]) AS d
       ON CONFLICT (site_id, local_date) DO UPDATE SET marked_at = now()`,
      [siteId, dates],
    );
  }

  /** Dirty days, oldest first, with when each was marked (a day marked again while it is worked on stays dirty). */
  async dirtyDays(limit: number): Promise<{ siteId: string; date: string; markedAt: Date }[]> {
    const { rows } = await this.db.query<{ site_id: string; local_date: string; marked_at: Date }>(
      `SELECT site_id, to_char(local_date, 'YYYY-MM-DD') AS local_date, marked_at FROM kpi_dirty_days
       ORDER BY site_id, local_date LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ siteId: r.site_id, date: r.local_date, markedAt: new Date(r.marked_at) }));
  }

  async clearDirty(siteId: string, dates: string[], markedBefore: Date): Promise<void> {
    await this.db.query(
      `DELETE FROM kpi_dirty_days WHERE site_id = $1 AND local_date = ANY($2::date[]) AND marked_at <= $3`,
      [siteId, dates, markedBefore.toISOString()],
    );
  }

  async siteHoursKey(siteId: string): Promise<string | null> {
    const { rows } = await this.db.query<{ hours_key: string }>(
      'SELECT hours_key FROM kpi_site_state WHERE site_id = $1',
      [siteId],
    );
    return rows[0]?.hours_key ?? null;
  }

  async setSiteHoursKey(siteId: string, key: string): Promise<void> {
    await this.db.query(
      `INSERT INTO kpi_site_state (site_id, hours_key) VALUES ($1, $2)
       ON CONFLICT (site_id) DO UPDATE SET hours_key = EXCLUDED.hours_key, materialised_at = now()`,
      [siteId, key],
    );
  }

  /** The local days that have raw evidence or bookings, to re-derive after opening hours change. */
  async daysWithData(siteId: string, timeZone: string, since: Date): Promise<string[]> {
    const { rows } = await this.db.query<{ d: string }>(
      `SELECT DISTINCT to_char((ts AT TIME ZONE $2)::date, 'YYYY-MM-DD') AS d FROM (
         SELECT time_bucket('1 hour', ts) AS ts FROM sensor_readings WHERE site_id = $1 AND ts >= $3 GROUP BY 1
         UNION SELECT time_bucket('1 hour', ts) FROM door_events WHERE site_id = $1 AND ts >= $3 GROUP BY 1
         UNION SELECT start_at FROM bookings WHERE site_id = $1 AND start_at >= $3
       ) t ORDER BY 1`,
      [siteId, timeZone, since.toISOString()],
    );
    return rows.map((r) => r.d);
  }

  async siteIds(): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>('SELECT id FROM sites ORDER BY id');
    return rows.map((r) => r.id);
  }

  /**
   * Runs the compression and retention policies once. A server has background workers for this; the embedded build
   * has none. The aggregates' refresh policies are left out there: nothing but the materialiser writes the slices, and
   * it refreshes exactly the window it wrote, while a policy re-scans 35 days and held the one database worker for
   * over ten seconds in the live benchmark.
   */
  async runStoragePolicies(): Promise<number[]> {
    await this.enableTimescaleFeatures();
    const { rows } = await this.db.query<{ job_id: number }>(
      `SELECT job_id FROM timescaledb_information.jobs
       WHERE proc_name IN ('policy_compression', 'policy_retention')
       ORDER BY CASE proc_name WHEN 'policy_retention' THEN 0 ELSE 1 END, job_id`,
    );
    for (const { job_id } of rows) await this.db.query(`CALL run_job($1)`, [job_id]);
    await this.db.query(
      `INSERT INTO kpi_upkeep (task, last_run_at) VALUES ('storage_policies', now())
       ON CONFLICT (task) DO UPDATE SET last_run_at = EXCLUDED.last_run_at`,
    );
    return rows.map((r) => r.job_id);
  }

  async storagePoliciesRanAt(): Promise<Date | null> {
    const { rows } = await this.db.query<{ last_run_at: Date }>(
      `SELECT last_run_at FROM kpi_upkeep WHERE task = 'storage_policies'`,
    );
    return rows[0] ? new Date(rows[0].last_run_at) : null;
  }

  /** Sets how long presence data tied to a person is kept, on every personal table's retention policy. */
  async setPersonalRetention(days: number): Promise<void> {
    await this.enableTimescaleFeatures();
    await this.db.query(
      `SELECT alter_job(job_id, config => jsonb_set(config, '{drop_after}', to_jsonb($1::text)))
       FROM timescaledb_information.jobs
       WHERE proc_name = 'policy_retention'
         AND hypertable_name IN ('door_events', 'kpi_member_entries', 'kpi_member_visits_daily')`,
      [`${days} days`],
    );
  }

  async personalRetentionDays(): Promise<number | null> {
    const { rows } = await this.db.query<{ drop_after: string }>(
      `SELECT config->>'drop_after' AS drop_after FROM timescaledb_information.jobs
       WHERE proc_name = 'policy_retention' AND hypertable_name = 'door_events'`,
    );
    const match = rows[0]?.drop_after?.match(/^(\d+) days$/);
    return match ? Number(match[1]) : null;
  }
}
