import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '@cw/database';
import { BookingEvent, DoorEvent, RejectedEvent, SensorReading } from '@cw/events';
import { chunkBySize } from './pipeline/chunk-by-size';
import { eventKey } from './pipeline/write-item';

type Key = { site_id: string; event_id: string };

// Each insert claims the event id in ingested_events first and writes only rows whose claim succeeded, in one
// statement: duplicates cost one index probe and never reach the hypertable.
const DOOR_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[],
    $8::text[], $9::text[], $10::text[], $11::timestamptz[], $12::timestamptz[], $13::int[], $14::text[])
  AS i(site_id, event_id, ts, door_id, credential, member_id, direction, result, method, resource_ids, device_ts, received_at, clock_skew_ms, reason)
), fresh AS (
  INSERT INTO ingested_events (site_id, event_id, ts) SELECT site_id, event_id, ts FROM input
  ON CONFLICT DO NOTHING RETURNING site_id, event_id
)
INSERT INTO door_events (ts, site_id, door_id, event_id, credential, member_id, direction, result, method, reason, resource_ids, device_ts, received_at, clock_skew_ms)
SELECT i.ts, i.site_id, i.door_id, i.event_id, i.credential, i.member_id, i.direction, i.result, i.method, i.reason, i.resource_ids::text[], i.device_ts, i.received_at, i.clock_skew_ms
FROM input i JOIN fresh f ON f.site_id = i.site_id AND f.event_id = i.event_id
RETURNING site_id, event_id`;

const SENSOR_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::float8[], $7::text[],
    $8::timestamptz[], $9::timestamptz[], $10::int[])
  AS i(site_id, event_id, ts, sensor_id, kind, value, resource_id, device_ts, received_at, clock_skew_ms)
), fresh AS (
  INSERT INTO ingested_events (site_id, event_id, ts) SELECT site_id, event_id, ts FROM input
  ON CONFLICT DO NOTHING RETURNING site_id, event_id
)
INSERT INTO sensor_readings (ts, site_id, sensor_id, event_id, kind, value, resource_id, device_ts, received_at, clock_skew_ms)
SELECT i.ts, i.site_id, i.sensor_id, i.event_id, i.kind, i.value, i.resource_id, i.device_ts, i.received_at, i.clock_skew_ms
FROM input i JOIN fresh f ON f.site_id = i.site_id AND f.event_id = i.event_id
RETURNING site_id, event_id`;

const BOOKING_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::timestamptz[],
    $8::timestamptz[], $9::text[], $10::timestamptz[], $11::timestamptz[], $12::int[])
  AS i(site_id, event_id, ts, booking_id, resource_id, member_id, start_at, end_at, status, device_ts, received_at, clock_skew_ms)
), fresh AS (
  INSERT INTO ingested_events (site_id, event_id, ts) SELECT site_id, event_id, ts FROM input
  ON CONFLICT DO NOTHING RETURNING site_id, event_id
)
INSERT INTO booking_events (ts, site_id, event_id, booking_id, resource_id, member_id, start_at, end_at, status, device_ts, received_at, clock_skew_ms)
SELECT i.ts, i.site_id, i.event_id, i.booking_id, i.resource_id, i.member_id, i.start_at, i.end_at, i.status, i.device_ts, i.received_at, i.clock_skew_ms
FROM input i JOIN fresh f ON f.site_id = i.site_id AND f.event_id = i.event_id
RETURNING site_id, event_id`;

const REJECTED_SQL = `
INSERT INTO rejected_events (received_at, site_id, source, topic, event_id, reason, errors, raw)
SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::text[])`;

const iso = (d: Date) => d.toISOString();
const pgArray = (values: string[]) => `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
// Rough wire size of a row: enough to keep pglite-socket messages under its 64 KiB limit.
const approxSize = (payload: object) => JSON.stringify(payload).length + 160;

/** Batched writes of events and dead letters; returns the keys that were new (the rest were duplicates). */
@Injectable()
export class IngestRepository {
  constructor(private readonly db: Database) {}

  async writeBatch(
    doors: DoorEvent[],
    sensors: SensorReading[],
    bookings: BookingEvent[],
    rejected: RejectedEvent[],
  ): Promise<Set<string>> {
    const stored = new Set<string>();
    const limit =
      this.db.maxMessageBytes === undefined ? undefined : Math.floor(this.db.maxMessageBytes * 0.6);
    await this.db.transaction(async (tx) => {
      for (const chunk of chunkBySize(doors, limit, (e) => approxSize(e.payload)))
        await this.insertDoors(tx, chunk, stored);
      for (const chunk of chunkBySize(sensors, limit, (e) => approxSize(e.payload)))
        await this.insertSensors(tx, chunk, stored);
      for (const chunk of chunkBySize(bookings, limit, (e) => approxSize(e.payload)))
        await this.insertBookings(tx, chunk, stored);
      for (const chunk of chunkBySize(rejected, limit, (r) => r.raw.length * 2 + 300))
        await this.insertRejected(tx, chunk);
    });
    return stored;
  }

  private collect(rows: Key[], stored: Set<string>): void {
    for (const row of rows) stored.add(eventKey({ siteId: row.site_id, eventId: row.event_id }));
  }

  private async insertDoors(tx: Queryable, events: DoorEvent[], stored: Set<string>): Promise<void> {
    const { rows } = await tx.query<Key>(DOOR_SQL, [
      events.map((e) => e.siteId),
      events.map((e) => e.eventId),
      events.map((e) => iso(e.ts)),
      events.map((e) => e.doorId),
      events.map((e) => e.payload.credential),
      events.map((e) => e.payload.member ?? null),
      events.map((e) => e.payload.direction ?? null),
      events.map((e) => e.payload.result),
      events.map((e) => e.payload.method ?? null),
      events.map((e) => pgArray(e.resourceIds)),
      events.map((e) => iso(e.deviceTs)),
      events.map((e) => iso(e.receivedAt)),
      events.map((e) => e.clockSkewMs),
      events.map((e) => e.payload.reason ?? null),
    ]);
    this.collect(rows, stored);
  }

  private async insertSensors(tx: Queryable, events: SensorReading[], stored: Set<string>): Promise<void> {
    const { rows } = await tx.query<Key>(SENSOR_SQL, [
      events.map((e) => e.siteId),
      events.map((e) => e.eventId),
      events.map((e) => iso(e.ts)),
      events.map((e) => e.sensorId),
      events.map((e) => e.payload.kind),
      events.map((e) => e.payload.value),
      events.map((e) => e.resourceId),
      events.map((e) => iso(e.deviceTs)),
      events.map((e) => iso(e.receivedAt)),
      events.map((e) => e.clockSkewMs),
    ]);
    this.collect(rows, stored);
  }

  private async insertBookings(tx: Queryable, events: BookingEvent[], stored: Set<string>): Promise<void> {
    const { rows } = await tx.query<Key>(BOOKING_SQL, [
      events.map((e) => e.siteId),
      events.map((e) => e.eventId),
      events.map((e) => iso(e.ts)),
      events.map((e) => e.payload.booking),
      events.map((e) => e.payload.resource),
      events.map((e) => e.payload.member ?? null),
      events.map((e) => e.payload.start),
      events.map((e) => e.payload.end),
      events.map((e) => e.payload.status),
      events.map((e) => iso(e.deviceTs)),
      events.map((e) => iso(e.receivedAt)),
      events.map((e) => e.clockSkewMs),
    ]);
    this.collect(rows, stored);
  }

  private async insertRejected(tx: Queryable, rejected: RejectedEvent[]): Promise<void> {
    await tx.query(REJECTED_SQL, [
      rejected.map((r) => iso(r.receivedAt)),
      rejected.map((r) => r.siteId),
      rejected.map((r) => r.source),
      rejected.map((r) => r.topic),
      rejected.map((r) => r.eventId),
      rejected.map((r) => r.reason),
      rejected.map((r) => JSON.stringify(r.errors)),
      rejected.map((r) => r.raw),
    ]);
  }
}
