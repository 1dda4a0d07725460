import { Database } from '@cw/database';
import { BookingRecord, MinuteSeries } from '@cw/simulators';

/**
 * One presence reading per character of each series, expanded inside the database: a day of 300 sensors is 300
 * short strings on the wire instead of 216,000 rows, and INSERT ... SELECT ran about twice as fast as COPY from
 * a CSV blob here. Per row only integer arithmetic: the value is a byte of the series, the event id (the sensor
 * and the reading's epoch second) and the time step from numbers computed once per series (with a text-to-float
 * cast, make_interval and a numeric epoch per row the insert took about 1.6 times as long).
 */
const MINUTE_READINGS_SQL = `
INSERT INTO sensor_readings (ts, site_id, sensor_id, event_id, kind, value, resource_id, device_ts, received_at)
SELECT r.ts, $1, s.sensor, s.sensor || '@' || (s.epoch + k * p.step_s), 'presence', (get_byte(p.bytes, k) - 48)::float8,
       s.resource, r.ts, r.ts
FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::bigint[], $6::int[], $7::text[])
  AS s(sensor, resource, start, epoch, every, bits)
CROSS JOIN LATERAL (SELECT convert_to(s.bits, 'UTF8') AS bytes, s.every * 60 AS step_s,
                           s.every * interval '1 minute' AS step) p
CROSS JOIN LATERAL generate_series(0, length(p.bytes) - 1) AS k
CROSS JOIN LATERAL (SELECT s.start + k * p.step AS ts) r`;

/**
 * Bookings as the platform would hold them once they are over: attended and ghost meetings ended (the default
 * no-show policy does not release ghosts), no-shows released at the end of the 15-minute grace, cancellations
 * cancelled.
 */
const BOOKINGS_SQL = `
INSERT INTO bookings (site_id, id, resource_id, member_id, start_at, end_at, status, source, checked_in_at, created_at, updated_at)
SELECT $1, b.id, b.resource, b.member, b.start_at, b.end_at,
       CASE b.outcome WHEN 'cancelled' THEN 'cancelled' WHEN 'no_show' THEN 'released' ELSE 'ended' END,
       'external', b.arrived_at, b.created_at, COALESCE(b.cancelled_at, b.end_at)
FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::text[], $8::timestamptz[],
            $9::timestamptz[], $10::timestamptz[])
  AS b(id, resource, member, start_at, end_at, outcome, arrived_at, created_at, cancelled_at)
ON CONFLICT (site_id, id) DO NOTHING`;

const RELEASES_SQL = `
INSERT INTO booking_releases (site_id, booking_id, release_id, resource_id, member_id, reason, booking_start,
  booking_end, decided_at, released_at, published_at)
SELECT b.site_id, b.id, 'rel-' || b.id, b.resource_id, b.member_id, 'no_show', b.start_at, b.end_at,
       b.start_at + interval '15 minutes', b.start_at + interval '15 minutes', b.start_at + interval '15 minutes'
FROM bookings b
WHERE b.site_id = $1 AND b.id = ANY($2::text[]) AND b.status = 'released'
ON CONFLICT (site_id, booking_id) DO NOTHING`;

/** Indexes of sensor_readings, dropped while history is loaded and built again afterwards, as a bulk load does. */
const READING_INDEXES = {
  sensor_readings_site_resource_ts: '(site_id, resource_id, ts DESC)',
  sensor_readings_site_sensor_ts: '(site_id, sensor_id, ts DESC)',
} as const;

const iso = (ms: number): string => new Date(ms).toISOString();

/** The benchmark's bulk writes of simulated history, straight into the embedded database. */
export class HistoryRepository {
  constructor(private readonly db: Database) {}

  /** Returns the rows written. */
  async writeMinuteSeries(siteId: string, daySeries: readonly MinuteSeries[]): Promise<number> {
    if (daySeries.length === 0) return 0;
    // rows land in the order compression and the materialiser sort them by (sensor, time)
    const series = [...daySeries].sort((a, b) => (a.sensor < b.sensor ? -1 : a.sensor > b.sensor ? 1 : 0));
    const { rowCount } = await this.db.query(MINUTE_READINGS_SQL, [
      siteId,
      series.map((s) => s.sensor),
      series.map((s) => s.resource),
      series.map((s) => iso(s.start)),
      series.map((s) => Math.round(s.start / 1000)),
      series.map((s) => s.everyMinutes),
      series.map((s) => s.values),
    ]);
    return rowCount;
  }

  /** Returns the bookings written (a booking already there is left alone). */
  async writeBookings(siteId: string, records: readonly BookingRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    return this.db.transaction(async (tx) => {
      const { rowCount } = await tx.query(BOOKINGS_SQL, [
        siteId,
        records.map((b) => b.booking),
        records.map((b) => b.resource),
        records.map((b) => b.member),
        records.map((b) => b.start),
        records.map((b) => b.end),
        records.map((b) => b.outcome),
        records.map((b) => (b.outcome === 'attended' || b.outcome === 'ghost' ? b.arrivedAt : null)),
        records.map((b) => b.createdAt),
        records.map((b) => b.cancelledAt),
      ]);
      await tx.query(RELEASES_SQL, [siteId, records.map((b) => b.booking)]);
      return rowCount;
    });
  }

  async dropReadingIndexes(): Promise<void> {
    for (const name of Object.keys(READING_INDEXES)) await this.db.query(`DROP INDEX IF EXISTS ${name}`);
  }

  async createReadingIndexes(): Promise<void> {
    for (const [name, columns] of Object.entries(READING_INDEXES))
      await this.db.query(`CREATE INDEX IF NOT EXISTS ${name} ON sensor_readings ${columns}`);
  }

  /**
   * What the compression policies would have done by `asOf`: every chunk of a hypertable with a compression policy
   * that ended more than the policy's `compress_after` before it, compressed. Returns the chunks compressed.
   */
  async compressAsOf(asOf: Date): Promise<number> {
    const { rows } = await this.db.query<{ chunk: string }>(
      `SELECT c::text AS chunk
       FROM timescaledb_information.jobs j
       CROSS JOIN LATERAL show_chunks(format('%I.%I', j.hypertable_schema, j.hypertable_name)::regclass,
                                      older_than => $1::timestamptz - (j.config->>'compress_after')::interval) AS c
       WHERE j.proc_name = 'policy_compression'
         AND NOT EXISTS (SELECT 1 FROM timescaledb_information.chunks k
                         WHERE format('%I.%I', k.chunk_schema, k.chunk_name) = c::text AND k.is_compressed)`,
      [asOf.toISOString()],
    );
    for (const { chunk } of rows) await this.db.query(`SELECT compress_chunk($1::regclass, true)`, [chunk]);
    return rows.length;
  }
}
