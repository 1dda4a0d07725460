/**
 * Peak occupancy per resource and per kind, appended to SLICES_CTE in the materialiser's statement (so the
 * presence evidence is merged once for both). It reads three relations of SLICES_CTE: `open` (the open intervals),
 * `res` (the site's resources) and `occupied` (merged occupied intervals per resource), and the zone in $4.
 *
 * People per resource, as a step function inside the open intervals:
 * - a resource with its own people counter (readings `people_in`, `people_out`, `count` for it in the window)
 *   counts what the counter says, as the live engine does: each reading moves the level and it never goes below
 *   zero (a `count` sets it), outs before ins at the same instant, back to zero at every close and at local
 *   midnight; only the level after the last reading of an instant counts;
 * - any other resource of capacity 1 (or 0) counts 1 while occupied by presence evidence;
 * - the rest (several seats, presence or doors only) cannot count people and get no rows.
 * Resources seen with counter readings are also recorded in kpi_people_counters, so a quiet period reads 0.
 * A kind's level at an instant is the sum of its resources' levels, found exactly by a sweep over the pieces' starts
 * and ends (ends first at the same instant: half-open pieces that touch do not overlap). Each local day keeps its
 * maximum and the 15-minute bucket it was first reached in.
 */
export const PEOPLE_PEAKS_CTE = `
, counter_readings AS (
  SELECT s.resource_id, s.ts, s.event_id, s.kind, s.value, (s.ts AT TIME ZONE $4)::date AS d,
         -- the live engine resets counters at every close: readings after the n-th close form segment n
         (SELECT count(*) FROM open o WHERE o.e <= s.ts) AS closes,
         CASE s.kind WHEN 'count' THEN 0 WHEN 'people_out' THEN 1 ELSE 2 END AS rank
  FROM sensor_readings s JOIN res r ON r.id = s.resource_id
  -- the resource_id and kind conditions match the partial index of migration 0019
  WHERE s.site_id = $1 AND s.resource_id IS NOT NULL AND s.kind IN ('people_in', 'people_out', 'count')
    AND s.ts >= $2 AND s.ts < $3
), counted AS (
  SELECT DISTINCT resource_id FROM counter_readings
), counter_runs AS (
  SELECT resource_id, ts, d, closes, event_id, rank,
         CASE kind WHEN 'count' THEN value WHEN 'people_in' THEN value ELSE -value END AS step,
         -- a count starts a run of its own: the level is that count plus what moved since
         count(*) FILTER (WHERE kind = 'count') OVER (PARTITION BY resource_id, d, closes ORDER BY ts, rank, event_id
                                                      ROWS UNBOUNDED PRECEDING) AS run
  FROM counter_readings
), counter_sums AS (
  SELECT resource_id, ts, d, closes, event_id, rank, run,
         sum(step) OVER (PARTITION BY resource_id, d, closes, run ORDER BY ts, rank, event_id
                         ROWS UNBOUNDED PRECEDING) AS raw
  FROM counter_runs
), counter_levels AS (
  -- A level clamped at zero after every step equals the running sum minus its lowest dip below zero so far.
  SELECT resource_id, ts, d,
         raw - LEAST(0, min(raw) OVER (PARTITION BY resource_id, d, closes, run ORDER BY ts, rank, event_id
                                       ROWS UNBOUNDED PRECEDING)) AS people,
         lead(ts) OVER (PARTITION BY resource_id, d, closes ORDER BY ts, rank, event_id) AS next_ts
  FROM counter_sums
), people_pieces AS (
  SELECT resource_id, ts AS s,
         LEAST(next_ts, (SELECT min(o.e) FROM open o WHERE o.e > ts), (d + 1)::timestamp AT TIME ZONE $4,
               $3::timestamptz) AS e,
         round(people)::int AS people
  FROM counter_levels
  UNION ALL
  SELECT o.resource_id, o.s, o.e, 1 FROM occupied o JOIN res r ON r.id = o.resource_id
  WHERE r.capacity <= 1 AND NOT EXISTS (SELECT 1 FROM counted c WHERE c.resource_id = o.resource_id)
), people_open AS (
  SELECT p.resource_id, r.kind, GREATEST(p.s, o.s) AS s, LEAST(p.e, o.e) AS e, p.people
  FROM people_pieces p JOIN open o ON p.s < o.e AND o.s < p.e JOIN res r ON r.id = p.resource_id
), resource_peaks AS (
  SELECT DISTINCT ON (resource_id, d) resource_id, kind, d, s AS t, people
  FROM (SELECT *, (s AT TIME ZONE $4)::date AS d FROM people_open) x
  ORDER BY resource_id, d, people DESC, s
), kind_moves AS (
  SELECT kind, s AS t, people AS delta FROM people_open WHERE people > 0
  UNION ALL
  SELECT kind, e, -people FROM people_open WHERE people > 0
), kind_levels AS (
  SELECT kind, t, delta, sum(delta) OVER (PARTITION BY kind ORDER BY t, delta ROWS UNBOUNDED PRECEDING) AS people
  FROM kind_moves
), kind_peaks AS (
  SELECT DISTINCT ON (kind, d) kind, d, t, people
  FROM (SELECT *, (t AT TIME ZONE $4)::date AS d FROM kind_levels WHERE delta > 0) x
  ORDER BY kind, d, people DESC, t
), people_peaks_written AS (
  INSERT INTO kpi_people_peaks (ts, site_id, resource_id, resource_kind, local_date, people)
  SELECT time_bucket('15 minutes', t), $1, resource_id, kind, d, people FROM resource_peaks
  UNION ALL
  SELECT time_bucket('15 minutes', t), $1, NULL, kind, d, people FROM kind_peaks
  RETURNING 1
), people_counters_seen AS (
  INSERT INTO kpi_people_counters (site_id, resource_id, since)
  SELECT $1, resource_id, min(ts) FROM counter_readings GROUP BY resource_id
  ON CONFLICT (site_id, resource_id) DO UPDATE SET since = LEAST(kpi_people_counters.since, EXCLUDED.since)
  RETURNING 1
)`;
