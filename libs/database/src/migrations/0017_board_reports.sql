-- Monthly board reports: one per site and calendar month (site local time), with the figures it was built from and
-- its PDF, so a board reads the same document however many times it is downloaded. Regenerating replaces it.

CREATE TABLE IF NOT EXISTS board_reports (
  site_id       text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  -- the first day of the month
  month         date NOT NULL CHECK (extract(day FROM month) = 1),
  generated_at  timestamptz NOT NULL,
  -- false when generated before the month was over
  complete      boolean NOT NULL,
  trigger       text NOT NULL CHECK (trigger IN ('schedule', 'request')),
  data          jsonb NOT NULL,
  pdf           bytea NOT NULL,
  pdf_pages     integer NOT NULL CHECK (pdf_pages > 0),
  PRIMARY KEY (site_id, month)
);
