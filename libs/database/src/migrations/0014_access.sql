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

-- Everything a decision needs about the holder of a presented value, in one call: the credential (the active one
-- first, else the latest revoked), the member's status, the contract in force on the local date with its plan's
-- access, the member's bookings of the door's resources within half a day, and the day passes still usable. NULL
-- when the value is unknown. A PL/pgSQL function because it keeps its plans for the session: planning this
-- statement afresh cost several times its execution on the embedded database, on every door request.
CREATE OR REPLACE FUNCTION access_holder_facts(
  p_site text, p_value text, p_at timestamptz, p_date date, p_resources text[]
) RETURNS json LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (
    WITH cred AS (
      SELECT id, kind, member_id, revoked_at, revoke_reason FROM credentials
       WHERE site_id = p_site AND value = p_value
       ORDER BY revoked_at IS NULL DESC, revoked_at DESC
       LIMIT 1
    )
    SELECT json_build_object(
      'id', cred.id, 'kind', cred.kind, 'memberId', cred.member_id, 'revokedAt', cred.revoked_at,
      'revokeReason', cred.revoke_reason, 'memberStatus', m.status,
      'contract', (
        SELECT json_build_object('id', c.id, 'planId', c.plan_id, 'endDate', c.end_date::text,
                                 'zones', p.access_zones, 'hours', p.access_hours)
          FROM contracts c JOIN plans p ON p.site_id = c.site_id AND p.id = c.plan_id
         WHERE c.site_id = p_site AND c.member_id = cred.member_id AND c.status <> 'cancelled'
           AND c.start_date <= p_date AND (c.end_date IS NULL OR c.end_date > p_date)
         ORDER BY c.start_date DESC
         LIMIT 1),
      'bookings', (
        SELECT coalesce(json_agg(json_build_object('id', b.id, 'resourceId', b.resource_id,
                                                   'start', b.start_at, 'end', b.end_at)), '[]'::json)
          FROM bookings b
         WHERE b.site_id = p_site AND b.member_id = cred.member_id AND b.resource_id = ANY (p_resources)
           AND b.status IN ('confirmed', 'checked_in')
           AND b.start_at < p_at + interval '12 hours' AND b.end_at > p_at - interval '12 hours'),
      'passes', (
        SELECT coalesce(json_agg(json_build_object(
                 'code', v.code, 'balance', v.balance, 'expiresAt', v.expires_at,
                 'spentToday', EXISTS (SELECT 1 FROM voucher_spends s
                                        WHERE s.site_id = v.site_id AND s.code = v.code AND s.access_date = p_date),
                 'zones', coalesce(p.access_zones, '{}'::text[]),
                 'hours', coalesce(p.access_hours, '[]'::jsonb))), '[]'::json)
          FROM vouchers v LEFT JOIN plans p ON p.site_id = v.site_id AND p.id = v.plan_id
         WHERE v.site_id = p_site AND v.member_id = cred.member_id AND v.kind = 'day_pass'
           AND v.expires_at > p_at))
    FROM cred LEFT JOIN members m ON m.site_id = p_site AND m.id = cred.member_id
  );
END;
$$;
