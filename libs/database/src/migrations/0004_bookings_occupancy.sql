-- Bookings as the platform sees them (its own API and external booking systems alike), the releases it makes, and
-- the derived occupancy state changes.

CREATE TABLE IF NOT EXISTS bookings (
  site_id          text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  id               text NOT NULL CHECK (id ~ '^[a-zA-Z0-9_.:-]{1,64}$'),
  resource_id      text NOT NULL,
  member_id        text,
  start_at         timestamptz NOT NULL,
  end_at           timestamptz NOT NULL,
  status           text NOT NULL CHECK (status IN ('confirmed', 'checked_in', 'cancelled', 'released', 'ended')),
  source           text NOT NULL CHECK (source IN ('api', 'external')),
  checked_in_at    timestamptz,
  -- evidence that came after the booking was released: recorded beside the release, never merged into it
  late_checkin_at  timestamptz,
  -- bumped on every move, so a timer scheduled for an older version knows it is stale
  version          integer NOT NULL DEFAULT 1,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site_id, id),
  FOREIGN KEY (site_id, resource_id) REFERENCES resources (site_id, id) ON DELETE CASCADE,
  CHECK (end_at > start_at),
  -- The database itself refuses a double booking, whatever the number of API processes.
  CONSTRAINT bookings_no_overlap EXCLUDE USING gist (
    site_id WITH =, resource_id WITH =, tstzrange(start_at, end_at) WITH &&
  ) WHERE (status IN ('confirmed', 'checked_in'))
);
CREATE INDEX IF NOT EXISTS bookings_site_resource_start ON bookings (site_id, resource_id, start_at);
CREATE INDEX IF NOT EXISTS bookings_pending_start ON bookings (start_at) WHERE status = 'confirmed';

-- One row per released booking (the primary key makes "released at most once" a database fact). It doubles as the
-- outbox: published_at stays null until webhook, MQTT and socket.io have been handed the release.
CREATE TABLE IF NOT EXISTS booking_releases (
  site_id        text NOT NULL,
  booking_id     text NOT NULL,
  release_id     text NOT NULL UNIQUE,
  resource_id    text NOT NULL,
  member_id      text,
  reason         text NOT NULL CHECK (reason IN ('no_show', 'ghost')),
  booking_start  timestamptz NOT NULL,
  booking_end    timestamptz NOT NULL,
  decided_at     timestamptz NOT NULL,
  released_at    timestamptz NOT NULL DEFAULT now(),
  published_at   timestamptz,
  PRIMARY KEY (site_id, booking_id),
  FOREIGN KEY (site_id, booking_id) REFERENCES bookings (site_id, id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS booking_releases_unpublished ON booking_releases (released_at) WHERE published_at IS NULL;
CREATE INDEX IF NOT EXISTS booking_releases_site_released ON booking_releases (site_id, released_at);

-- No-show windows per site and resource kind ('*': the site default). Absent rows mean 15 + 15 minutes. Seconds,
-- not minutes, so short windows (a phone booth, a test) need no special case.
CREATE TABLE IF NOT EXISTS noshow_policies (
  site_id             text NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  resource_kind       text NOT NULL DEFAULT '*',
  early_seconds       integer NOT NULL DEFAULT 900 CHECK (early_seconds >= 0),
  grace_seconds       integer NOT NULL DEFAULT 900 CHECK (grace_seconds >= 0),
  ghost_enabled       boolean NOT NULL DEFAULT false,
  ghost_after_seconds integer NOT NULL DEFAULT 1200 CHECK (ghost_after_seconds > 0),
  PRIMARY KEY (site_id, resource_kind)
);

CREATE TABLE IF NOT EXISTS occupancy_changes (
  ts           timestamptz NOT NULL,
  site_id      text NOT NULL,
  resource_id  text NOT NULL,
  state        text NOT NULL CHECK (state IN ('free', 'occupied', 'booked', 'awaiting_checkin', 'released')),
  previous     text,
  occupancy    integer,
  booking_id   text,
  recorded_at  timestamptz NOT NULL DEFAULT now()
);
SELECT create_hypertable('occupancy_changes', 'ts', chunk_time_interval => interval '7 days', if_not_exists => true);
CREATE INDEX IF NOT EXISTS occupancy_changes_site_resource_ts ON occupancy_changes (site_id, resource_id, ts DESC);
