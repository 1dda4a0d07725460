-- Time series on event time. Each row keeps device time (as sent), receive time, and the skew when the
-- device clock was ahead and its time was clamped: device clocks are not trusted blindly.

CREATE TABLE IF NOT EXISTS door_events (
  ts            timestamptz NOT NULL,
  site_id       text NOT NULL,
  door_id       text NOT NULL,
  event_id      text NOT NULL,
  credential    text NOT NULL,
  member_id     text,
  direction     text CHECK (direction IN ('in', 'out')),
  result        text NOT NULL CHECK (result IN ('granted', 'denied')),
  method        text,
  resource_ids  text[] NOT NULL DEFAULT '{}',
  device_ts     timestamptz NOT NULL,
  received_at   timestamptz NOT NULL,
  clock_skew_ms integer
);
SELECT create_hypertable('door_events', 'ts', chunk_time_interval => interval '7 days', if_not_exists => true);
CREATE INDEX IF NOT EXISTS door_events_site_door_ts ON door_events (site_id, door_id, ts DESC);
CREATE INDEX IF NOT EXISTS door_events_site_member_ts ON door_events (site_id, member_id, ts DESC) WHERE member_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS sensor_readings (
  ts            timestamptz NOT NULL,
  site_id       text NOT NULL,
  sensor_id     text NOT NULL,
  event_id      text NOT NULL,
  kind          text NOT NULL,
  value         double precision NOT NULL,
  resource_id   text,
  device_ts     timestamptz NOT NULL,
  received_at   timestamptz NOT NULL,
  clock_skew_ms integer
);
SELECT create_hypertable('sensor_readings', 'ts', chunk_time_interval => interval '1 day', if_not_exists => true);
CREATE INDEX IF NOT EXISTS sensor_readings_site_resource_ts ON sensor_readings (site_id, resource_id, ts DESC);
CREATE INDEX IF NOT EXISTS sensor_readings_site_sensor_ts ON sensor_readings (site_id, sensor_id, ts DESC);

CREATE TABLE IF NOT EXISTS booking_events (
  ts            timestamptz NOT NULL,
  site_id       text NOT NULL,
  event_id      text NOT NULL,
  booking_id    text NOT NULL,
  resource_id   text NOT NULL,
  member_id     text,
  start_at      timestamptz NOT NULL,
  end_at        timestamptz NOT NULL,
  status        text NOT NULL CHECK (status IN ('created', 'updated', 'cancelled', 'checked_in', 'ended')),
  device_ts     timestamptz NOT NULL,
  received_at   timestamptz NOT NULL,
  clock_skew_ms integer,
  CHECK (end_at > start_at)
);
SELECT create_hypertable('booking_events', 'ts', chunk_time_interval => interval '7 days', if_not_exists => true);
CREATE INDEX IF NOT EXISTS booking_events_site_booking_ts ON booking_events (site_id, booking_id, ts DESC);
CREATE INDEX IF NOT EXISTS booking_events_site_resource_ts ON booking_events (site_id, resource_id, ts DESC);

-- Dead letter: whatever could not be taken, with the raw payload and why, so nothing is silently lost.
CREATE TABLE IF NOT EXISTS rejected_events (
  received_at  timestamptz NOT NULL,
  site_id      text,
  source       text NOT NULL CHECK (source IN ('mqtt', 'http')),
  topic        text,
  event_id     text,
  reason       text NOT NULL,
  errors       jsonb NOT NULL DEFAULT '[]'::jsonb,
  raw          text NOT NULL
);
SELECT create_hypertable('rejected_events', 'received_at', chunk_time_interval => interval '7 days', if_not_exists => true);
CREATE INDEX IF NOT EXISTS rejected_events_site_received ON rejected_events (site_id, received_at DESC);

-- Idempotency keys: one row per (site, producer event id) ever stored. A plain table rather than a unique index on
-- the hypertables, because a clamped timestamp would make a redelivered event look new to a (ts, id) key.
CREATE TABLE IF NOT EXISTS ingested_events (
  site_id   text NOT NULL,
  event_id  text NOT NULL,
  ts        timestamptz NOT NULL,
  PRIMARY KEY (site_id, event_id)
);
CREATE INDEX IF NOT EXISTS ingested_events_ts ON ingested_events (ts);
