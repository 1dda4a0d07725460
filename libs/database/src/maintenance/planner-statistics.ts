import { Queryable } from '../database.port';

/**
 * A table counts as stale once it has grown by this share of its pages since its statistics were taken (or has pages
 * and never had any). Growth is read from the file size, which both adapters report: the embedded database keeps no
 * activity counters (`pg_stat_user_tables` stays at zero there) and has no autovacuum to analyze anything.
 */
const GROWTH = 0.2;

/**
 * Refreshes planner statistics (ANALYZE) of the relational tables that grew since they were last analyzed, and
 * returns their names. Without it the embedded database plans on empty-table statistics forever: the no-show
 * evidence lookup scanned every active booking of a site (1.6 ms) instead of using its index (0.08 ms).
 * Hypertable chunks are left out: their queries are bounded by time and by the indexes, and sampling a busy chunk
 * would hold the single embedded connection for longer than it saves.
 */
export async function refreshPlannerStatistics(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT format('%I.%I', n.nspname, c.relname) AS name
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind = 'r' AND n.nspname = 'public'
       AND pg_relation_size(c.oid) / current_setting('block_size')::bigint > c.relpages * (1 + $1::float8)
     ORDER BY 1`,
    [GROWTH],
  );
  for (const { name } of rows) await db.query(`ANALYZE ${name}`);
  return rows.map((r) => r.name);
}
