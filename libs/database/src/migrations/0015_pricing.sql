-- Dynamic peak pricing (DESIGN.md, Rules: Dynamic pricing): a demand curve and price bounds per site and resource kind
-- ('*': the site default), and the quotes given out, which a booking may claim while they are valid.

CREATE TABLE IF NOT EXISTS pricing_rules (
  site_id                text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  resource_kind          text NOT NULL DEFAULT '*',
  target_utilisation     double precision NOT NULL DEFAULT 0.5 CHECK (target_utilisation BETWEEN 0 AND 1),
  sensitivity            double precision NOT NULL DEFAULT 1 CHECK (sensitivity >= 0),
  min_multiplier         double precision NOT NULL DEFAULT 0.8 CHECK (min_multiplier > 0),
  max_multiplier         double precision NOT NULL DEFAULT 1.5,
  floor_per_hour_minor   integer CHECK (floor_per_hour_minor IS NULL OR floor_per_hour_minor >= 0),
  ceiling_per_hour_minor integer CHECK (ceiling_per_hour_minor IS NULL OR ceiling_per_hour_minor >= 0),
  -- how many past weeks of the hourly aggregate the forecast averages
  forecast_weeks         integer NOT NULL DEFAULT 8 CHECK (forecast_weeks BETWEEN 1 AND 52),
  quote_ttl_seconds      integer NOT NULL DEFAULT 900 CHECK (quote_ttl_seconds > 0),
  PRIMARY KEY (site_id, resource_kind),
  CHECK (max_multiplier >= min_multiplier),
  CHECK (ceiling_per_hour_minor IS NULL OR floor_per_hour_minor IS NULL OR ceiling_per_hour_minor >= floor_per_hour_minor)
);

CREATE TABLE IF NOT EXISTS price_quotes (
  site_id      text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  id           text NOT NULL,
  resource_id  text NOT NULL,
  member_id    text,
  start_at     timestamptz NOT NULL,
  end_at       timestamptz NOT NULL,
  price_minor  integer NOT NULL CHECK (price_minor >= 0),
  currency     char(3) NOT NULL,
  breakdown    jsonb NOT NULL,
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  -- the booking that claimed it: a quote buys one booking
  booking_id   text,
  PRIMARY KEY (site_id, id),
  FOREIGN KEY (site_id, resource_id) REFERENCES resources (site_id, id) ON DELETE CASCADE,
  CHECK (end_at > start_at),
  CHECK (expires_at > created_at)
);
CREATE INDEX IF NOT EXISTS price_quotes_expiry ON price_quotes (expires_at) WHERE booking_id IS NULL;
