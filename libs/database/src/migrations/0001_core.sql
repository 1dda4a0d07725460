-- Relational core of the spine: sites and their floors, resources and devices, and API keys.
-- Ids are operator-chosen strings (a space can be kept as a file); every per-site table leads with site_id.

CREATE TABLE IF NOT EXISTS sites (
  id            text PRIMARY KEY CHECK (id ~ '^[a-zA-Z0-9_-]{1,64}$'),
  name          text NOT NULL,
  time_zone     text NOT NULL,
  currency      char(3) NOT NULL,
  tax_rate_bp   integer NOT NULL DEFAULT 0 CHECK (tax_rate_bp >= 0),
  opening_hours jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS floors (
  site_id    text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  id         text NOT NULL CHECK (id ~ '^[a-zA-Z0-9_-]{1,64}$'),
  name       text NOT NULL,
  level      integer NOT NULL DEFAULT 0,
  -- {width, height, outline: [[x,y],...]} in floor coordinates (metres or plan units)
  plan       jsonb NOT NULL,
  PRIMARY KEY (site_id, id)
);

CREATE TABLE IF NOT EXISTS resources (
  site_id          text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  id               text NOT NULL CHECK (id ~ '^[a-zA-Z0-9_-]{1,64}$'),
  floor_id         text NOT NULL,
  name             text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('desk', 'meeting_room', 'phone_booth', 'event_space', 'locker', 'parking', 'equipment')),
  capacity         integer NOT NULL DEFAULT 1 CHECK (capacity >= 0),
  bookable         boolean NOT NULL DEFAULT true,
  base_price_minor integer NOT NULL DEFAULT 0 CHECK (base_price_minor >= 0),
  polygon          jsonb NOT NULL,
  PRIMARY KEY (site_id, id),
  FOREIGN KEY (site_id, floor_id) REFERENCES floors (site_id, id) ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS devices (
  site_id  text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  id       text NOT NULL CHECK (id ~ '^[a-zA-Z0-9_.:-]{1,64}$'),
  type     text NOT NULL CHECK (type IN ('door', 'sensor')),
  name     text NOT NULL,
  -- a door may serve several rooms; a sensor normally watches one resource
  resource_ids text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (site_id, id)
);

CREATE TABLE IF NOT EXISTS api_keys (
  id           text PRIMARY KEY,
  name         text NOT NULL,
  role         text NOT NULL CHECK (role IN ('admin', 'manager', 'integration', 'device')),
  -- null: every site (admin keys); otherwise the one site this key may act on
  site_id      text REFERENCES sites (id) ON DELETE CASCADE,
  -- sha256 of the secret; the secret itself is shown once and never stored
  secret_hash  text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz,
  CHECK (role IN ('admin', 'manager') OR site_id IS NOT NULL)
);
