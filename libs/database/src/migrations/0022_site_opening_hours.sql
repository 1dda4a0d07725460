-- Opening hours as they were: a past day's KPIs are measured against the hours the site had that day, so changing
-- the hours today does not rewrite last month's board report. A version applies from its local date at the site
-- ('-infinity' for the hours a site was created with) until the next version.
CREATE TABLE IF NOT EXISTS site_opening_hours (
  site_id       text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  valid_from    date NOT NULL,
  opening_hours jsonb NOT NULL,
  PRIMARY KEY (site_id, valid_from)
);
INSERT INTO site_opening_hours (site_id, valid_from, opening_hours)
SELECT id, '-infinity', opening_hours FROM sites
ON CONFLICT DO NOTHING;
