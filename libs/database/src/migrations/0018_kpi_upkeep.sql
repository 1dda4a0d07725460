-- When the embedded build last ran the compression and retention policies itself (a server's background workers
-- keep their own record). Kept in the database so a restart does not run them again at the busiest hour.
CREATE TABLE IF NOT EXISTS kpi_upkeep (
  task        text PRIMARY KEY,
  last_run_at timestamptz NOT NULL
);
