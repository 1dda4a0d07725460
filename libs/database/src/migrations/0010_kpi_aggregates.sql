-- KPI storage: bucket-aligned slices materialised by a job, continuous aggregates over them, and the compression
-- and retention policies of the event hypertables. Design notes in docs/kpis.md.

-- The embedded TimescaleDB (PGlite fork) ships the TSL module (continuous aggregates, compression, policies) but
-- registers no `timescaledb.license` setting, so nothing loads it: each backend has to call the module's entry point
-- once. A server registers the setting and loads TSL itself, so there this function does nothing. Called by this
-- migration, at boot by the KPI module, and before every refresh (it is a no-op once loaded).
CREATE OR REPLACE FUNCTION cw_enable_tsl() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('timescaledb.license', true) IS NOT NULL THEN
    RETURN true;
  END IF;
  -- The entry point registers hooks: a second call in the same backend would register them twice.
  IF current_setting('cw.tsl_loaded', true) = 'on' THEN
    RETURN true;
  END IF;
  -- TSL resolves symbols of the main TimescaleDB library: make sure this backend has loaded it first.
  PERFORM time_bucket(interval '1 hour', now());
  EXECUTE format(
    'CREATE OR REPLACE FUNCTION cw_tsl_module_init(boolean) RETURNS boolean AS %L, %L LANGUAGE C',
    '$libdir/timescaledb-tsl-' || (SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'),
    'ts_module_init');
  EXECUTE 'SELECT cw_tsl_module_init(true)';
  PERFORM set_config('cw.tsl_loaded', 'on', false);
  RETURN true;
END $$;
SELECT cw_enable_tsl();

-- Per resource and 15-minute bucket, what happened inside the site's opening hours (seconds). Written only by the
-- KPI materialiser, which re-derives whole local days from the raw evidence (sensor_readings, door_events, bookings):
-- occupancy_changes is stamped when the live engine evaluates, so it says nothing about back-filled history, and a
-- continuous aggregate cannot order change rows to measure durations. One row per resource and bucket with
-- something in it; local_date and local_how (hour of week, Monday 00:00 = 0, in the site's zone) are fixed by the
-- bucket and the site's zone, so grouping by them adds no rows and lets aggregates answer in local time.
CREATE TABLE IF NOT EXISTS kpi_resource_slices (
  ts               timestamptz NOT NULL,
  site_id          text NOT NULL,
  resource_id      text NOT NULL,
  resource_kind    text NOT NULL,
  local_date       date NOT NULL,
  local_how        smallint NOT NULL CHECK (local_how BETWEEN 0 AND 167),
  occupied_s       integer NOT NULL DEFAULT 0,
  booked_s         integer NOT NULL DEFAULT 0,
  -- occupied while a booking covered the resource: the numerator of booked-vs-used
  used_s           integer NOT NULL DEFAULT 0,
  bookings_started integer NOT NULL DEFAULT 0
);
SELECT create_hypertable('kpi_resource_slices', 'ts', chunk_time_interval => interval '30 days', if_not_exists => true);
CREATE INDEX IF NOT EXISTS kpi_resource_slices_site_ts ON kpi_resource_slices (site_id, ts);

-- Most people in the building at once per 15-minute bucket, from the entrance people counters (sensors that serve
-- no resource), counted from zero at each local midnight.
CREATE TABLE IF NOT EXISTS kpi_site_peaks (
  ts           timestamptz NOT NULL,
  site_id      text NOT NULL,
  local_date   date NOT NULL,
  people       integer NOT NULL
);
SELECT create_hypertable('kpi_site_peaks', 'ts', chunk_time_interval => interval '90 days', if_not_exists => true);
CREATE INDEX IF NOT EXISTS kpi_site_peaks_site_ts ON kpi_site_peaks (site_id, ts);

-- Granted entries of members through entrance doors (doors serving no resource): personal data, kept only as long
-- as the personal retention policy allows.
CREATE TABLE IF NOT EXISTS kpi_member_entries (
  ts          timestamptz NOT NULL,
  site_id     text NOT NULL,
  member_id   text NOT NULL,
  local_date  date NOT NULL
);
SELECT create_hypertable('kpi_member_entries', 'ts', chunk_time_interval => interval '30 days', if_not_exists => true);
CREATE INDEX IF NOT EXISTS kpi_member_entries_site_ts ON kpi_member_entries (site_id, ts);

-- Local days whose slices are stale: events or bookings arrived for them. The materialiser drains this table.
CREATE TABLE IF NOT EXISTS kpi_dirty_days (
  site_id    text NOT NULL,
  local_date date NOT NULL,
  marked_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_id, local_date)
);

-- What each site's slices were computed with, so a change of opening hours re-derives them.
CREATE TABLE IF NOT EXISTS kpi_site_state (
  site_id         text PRIMARY KEY,
  hours_key       text NOT NULL,
  materialised_at timestamptz NOT NULL DEFAULT now()
);

-- Occupancy per resource per 15 minutes.
CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_occupancy_15m
WITH (timescaledb.continuous, timescaledb.materialized_only = true) AS
SELECT time_bucket('15 minutes', ts) AS bucket, site_id, resource_id, resource_kind, local_date, local_how,
       sum(occupied_s)::bigint AS occupied_s, sum(booked_s)::bigint AS booked_s, sum(used_s)::bigint AS used_s,
       sum(bookings_started)::bigint AS bookings_started
FROM kpi_resource_slices
GROUP BY 1, 2, 3, 4, 5, 6
WITH NO DATA;

-- Bookings (and the occupancy they saw) per resource per hour: the month KPIs, the heatmap and the forecast.
CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_bookings_hourly
WITH (timescaledb.continuous, timescaledb.materialized_only = true) AS
SELECT time_bucket('1 hour', bucket) AS bucket, site_id, resource_id, resource_kind, local_date, local_how,
       sum(occupied_s)::bigint AS occupied_s, sum(booked_s)::bigint AS booked_s, sum(used_s)::bigint AS used_s,
       sum(bookings_started)::bigint AS bookings_started
FROM kpi_occupancy_15m
GROUP BY 1, 2, 3, 4, 5, 6
WITH NO DATA;

-- Per resource per local day: what a year of KPIs reads (one row per resource and day, not per hour).
CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_resource_daily
WITH (timescaledb.continuous, timescaledb.materialized_only = true) AS
SELECT time_bucket('1 day', bucket) AS bucket, site_id, resource_id, resource_kind, local_date,
       sum(occupied_s)::bigint AS occupied_s, sum(booked_s)::bigint AS booked_s, sum(used_s)::bigint AS used_s,
       sum(bookings_started)::bigint AS bookings_started
FROM kpi_bookings_hourly
GROUP BY 1, 2, 3, 4, 5
WITH NO DATA;

-- Per kind and hour, without the resource dimension: the site and kind heatmaps over a year stay small.
CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_kind_hourly
WITH (timescaledb.continuous, timescaledb.materialized_only = true) AS
SELECT time_bucket('1 hour', bucket) AS bucket, site_id, resource_kind, local_date, local_how,
       sum(occupied_s)::bigint AS occupied_s, sum(booked_s)::bigint AS booked_s, sum(used_s)::bigint AS used_s
FROM kpi_bookings_hourly
GROUP BY 1, 2, 3, 4, 5
WITH NO DATA;

-- Visits per member per local day (UTC day buckets split by local date, so the day is the site's).
CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_member_visits_daily
WITH (timescaledb.continuous, timescaledb.materialized_only = true) AS
SELECT time_bucket('1 day', ts) AS bucket, site_id, member_id, local_date,
       count(*)::integer AS visits, min(ts) AS first_entry, max(ts) AS last_entry
FROM kpi_member_entries
GROUP BY 1, 2, 3, 4
WITH NO DATA;

-- Policies. A server's background workers run them; the embedded build has none, so the KPI maintenance job runs
-- each of them with run_job. Refresh windows cover late data up to the ingest limit of the materialiser's reach.
SELECT add_continuous_aggregate_policy('kpi_occupancy_15m', start_offset => interval '35 days',
  end_offset => NULL, schedule_interval => interval '15 minutes', if_not_exists => true);
SELECT add_continuous_aggregate_policy('kpi_bookings_hourly', start_offset => interval '35 days',
  end_offset => NULL, schedule_interval => interval '15 minutes', if_not_exists => true);
SELECT add_continuous_aggregate_policy('kpi_resource_daily', start_offset => interval '35 days',
  end_offset => NULL, schedule_interval => interval '1 hour', if_not_exists => true);
SELECT add_continuous_aggregate_policy('kpi_kind_hourly', start_offset => interval '35 days',
  end_offset => NULL, schedule_interval => interval '1 hour', if_not_exists => true);
SELECT add_continuous_aggregate_policy('kpi_member_visits_daily', start_offset => interval '35 days',
  end_offset => NULL, schedule_interval => interval '1 hour', if_not_exists => true);

-- Compression: raw readings are read in bulk by the materialiser only once a day is settled. Segmenting by site and
-- sensor keeps a device's readings together, as the materialiser reads them. Chunks newer than 30 days stay
-- uncompressed because ingest takes late events and the live engines read recent rows.
ALTER TABLE sensor_readings SET (timescaledb.compress, timescaledb.compress_segmentby = 'site_id, sensor_id',
  timescaledb.compress_orderby = 'ts');
SELECT add_compression_policy('sensor_readings', compress_after => interval '30 days', if_not_exists => true);
ALTER TABLE kpi_resource_slices SET (timescaledb.compress, timescaledb.compress_segmentby = 'site_id, resource_id',
  timescaledb.compress_orderby = 'ts');
SELECT add_compression_policy('kpi_resource_slices', compress_after => interval '90 days', if_not_exists => true);

-- Retention. Presence data tied to a person (door events carry member and credential, entries carry the member, the
-- dead letter keeps raw payloads) is kept 400 days by default; change it with
--   SELECT alter_job(job_id, config => jsonb_set(config, '{drop_after}', '"180 days"'))
--   FROM timescaledb_information.jobs WHERE proc_name = 'policy_retention' AND hypertable_name = 'door_events';
-- or PUT /v1/kpis/retention (admin), which does that for every personal table at once.
SELECT add_retention_policy('door_events', drop_after => interval '400 days', if_not_exists => true);
SELECT add_retention_policy('kpi_member_entries', drop_after => interval '400 days', if_not_exists => true);
SELECT add_retention_policy('kpi_member_visits_daily', drop_after => interval '400 days', if_not_exists => true);
SELECT add_retention_policy('rejected_events', drop_after => interval '90 days', if_not_exists => true);
-- Anonymous raw readings: two years, enough to re-derive the slices of the KPIs a board compares year on year.
SELECT add_retention_policy('sensor_readings', drop_after => interval '730 days', if_not_exists => true);
