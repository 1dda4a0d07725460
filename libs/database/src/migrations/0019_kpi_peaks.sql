-- Peak occupancy per resource and per resource kind: most people at once inside opening hours. Written only by the
-- KPI materialiser, in the same statement as kpi_resource_slices, from the same evidence (docs/kpis.md).
--
-- One row per resource (resource_id set) or per kind (resource_id NULL: the sum over the kind's resources that can
-- count people, at the same instant) and local day: that day's peak and `ts`, the 15-minute bucket in which it was
-- first reached. The materialiser re-derives whole local days, so it can write the day's maximum itself; a period's
-- peak is then the largest of its days' rows, and a year reads one row per resource and day (no continuous
-- aggregate needed: a maximum with the instant it was reached does not roll up through sum-shaped aggregates).
-- A resource that cannot count people has no rows; a people counter that reported but saw nobody has rows of 0, so
-- a counted zero is told apart from "cannot count".
CREATE TABLE IF NOT EXISTS kpi_people_peaks (
  ts             timestamptz NOT NULL,
  site_id        text NOT NULL,
  resource_id    text,
  resource_kind  text NOT NULL,
  local_date     date NOT NULL,
  people         integer NOT NULL CHECK (people >= 0)
);
SELECT create_hypertable('kpi_people_peaks', 'ts', chunk_time_interval => interval '90 days', if_not_exists => true);
CREATE INDEX IF NOT EXISTS kpi_people_peaks_site_ts ON kpi_people_peaks (site_id, ts);

-- People counters inside resources are few among a site's readings: the materialiser finds them through this
-- partial index instead of scanning every presence reading a second time. It costs ingest nothing for other rows.
CREATE INDEX IF NOT EXISTS sensor_readings_resource_counters ON sensor_readings (site_id, ts)
  WHERE resource_id IS NOT NULL AND kind IN ('people_in', 'people_out', 'count');

-- Resources with their own people counter, and since when (the first counter reading the materialiser saw). A
-- device does not say whether a sensor counts people or detects presence; its readings do. Kept apart from the
-- daily rows so a quiet period of a counted room reads 0, not "cannot count".
CREATE TABLE IF NOT EXISTS kpi_people_counters (
  site_id      text NOT NULL,
  resource_id  text NOT NULL,
  since        timestamptz NOT NULL,
  PRIMARY KEY (site_id, resource_id)
);
