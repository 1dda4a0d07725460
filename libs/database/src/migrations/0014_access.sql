-- Access decisions (DESIGN.md, Rules: Access): per-site settings, and the lookups a decision makes on every door
-- request. The zones and credentials tables themselves are in 0006.

-- A booking opens the doors serving its resource from `booking_margin_minutes` before its start to as long after
-- its end (15 minutes unless the site says otherwise).
CREATE TABLE IF NOT EXISTS access_settings (
  site_id                 text PRIMARY KEY REFERENCES sites (id) ON DELETE CASCADE,
  booking_margin_minutes  integer NOT NULL DEFAULT 15 CHECK (booking_margin_minutes BETWEEN 0 AND 240),
  updated_at              timestamptz NOT NULL DEFAULT now()
);

-- A decision looks the presented value up among revoked credentials too, so a revoked card is refused as revoked
-- rather than as unknown; credentials_active_value (0006) covers only the active ones.
CREATE INDEX IF NOT EXISTS credentials_site_value ON credentials (site_id, value);
CREATE INDEX IF NOT EXISTS credentials_site_member ON credentials (site_id, member_id);
-- A decision reads the holder's bookings near the request time.
CREATE INDEX IF NOT EXISTS bookings_site_member_start ON bookings (site_id, member_id, start_at)
  WHERE member_id IS NOT NULL;
