-- Churn risk (DESIGN.md, Rules: Churn risk): one row per member and local day it was scored, so the at-risk page, the
-- board report and a member's trend read stored numbers and a day can be recomputed without touching another.
CREATE TABLE IF NOT EXISTS churn_scores (
  site_id       text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  member_id     text NOT NULL,
  -- the site-local day the score is as of: only history before that day went into it
  scored_on     date NOT NULL,
  -- 0-100; null when the member has too little history to judge, and then reason says why (never a made-up number)
  score         smallint CHECK (score BETWEEN 0 AND 100),
  reason        text,
  -- every factor with its value and its contribution to the score, largest contribution first
  factors       jsonb NOT NULL DEFAULT '[]'::jsonb,
  model_version text NOT NULL,
  computed_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_id, member_id, scored_on),
  FOREIGN KEY (site_id, member_id) REFERENCES members (site_id, id) ON DELETE CASCADE,
  CHECK ((score IS NULL) = (reason IS NOT NULL))
);
CREATE INDEX IF NOT EXISTS churn_scores_site_day_score ON churn_scores (site_id, scored_on, score DESC NULLS LAST);
