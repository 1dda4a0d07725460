-- The plan a member holds at an instant: the latest contract, not cancelled, running on the local date at the site
-- (`time_zone`). Booking prices take its discount; the booking pricer and dynamic pricing both read it here. A SQL
-- function of one statement, so the planner inlines it into the caller's LATERAL join.
CREATE OR REPLACE FUNCTION cw_plan_held(p_site_id text, p_member_id text, p_at timestamptz, p_time_zone text)
RETURNS TABLE (plan_id text, booking_discount_pct integer)
LANGUAGE sql STABLE AS $$
  SELECT pl.id, pl.booking_discount_pct FROM contracts c
  JOIN plans pl ON pl.site_id = c.site_id AND pl.id = c.plan_id
  WHERE p_member_id IS NOT NULL AND c.site_id = p_site_id AND c.member_id = p_member_id AND c.status <> 'cancelled'
    AND c.start_date <= (p_at AT TIME ZONE p_time_zone)::date
    AND (c.end_date IS NULL OR c.end_date > (p_at AT TIME ZONE p_time_zone)::date)
  ORDER BY c.start_date DESC LIMIT 1
$$;
