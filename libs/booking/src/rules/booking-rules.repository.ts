import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '@cw/database';
import { BookingRule, DEFAULT_RULE } from './booking-rules';
import { OpeningSlot } from './opening-hours';

interface RuleRow {
  resource_kind: string;
  who: BookingRule['who'];
  min_lead_minutes: number;
  max_advance_days: number;
  max_length_minutes: number;
  within_opening_hours: boolean;
  free_cancel_minutes: number;
}

function toRule(r: RuleRow): BookingRule {
  return {
    resourceKind: r.resource_kind,
    who: r.who,
    minLeadMinutes: r.min_lead_minutes,
    maxAdvanceDays: r.max_advance_days,
    maxLengthMinutes: r.max_length_minutes,
    withinOpeningHours: r.within_opening_hours,
    freeCancelMinutes: r.free_cancel_minutes,
  };
}

export interface ResourceContext {
  id: string;
  kind: string;
  bookable: boolean;
  timeZone: string;
  openingHours: OpeningSlot[];
}

/** Booking rules per site and resource kind, and what checking them needs to know about resources and members. */
@Injectable()
export class BookingRulesRepository {
  constructor(readonly db: Database) {}

  /** The rule for a kind, else the site default '*', else the built-in defaults; `source` says which. */
  async ruleFor(
    siteId: string,
    kind: string,
    q: Queryable = this.db,
  ): Promise<{ rule: BookingRule; source: 'kind' | 'site' | 'default' }> {
    const { rows } = await q.query<RuleRow>(
      `SELECT resource_kind, who, min_lead_minutes, max_advance_days, max_length_minutes, within_opening_hours,
              free_cancel_minutes
       FROM booking_rules WHERE site_id = $1 AND resource_kind IN ($2, '*')
       ORDER BY resource_kind = '*' LIMIT 1`,
      [siteId, kind],
    );
    if (!rows[0]) return { rule: { resourceKind: kind, ...DEFAULT_RULE }, source: 'default' };
    return { rule: toRule(rows[0]), source: rows[0].resource_kind === kind ? 'kind' : 'site' };
  }

  async put(siteId: string, rule: BookingRule): Promise<BookingRule> {
    const { rows } = await this.db.query<RuleRow>(
      `INSERT INTO booking_rules (site_id, resource_kind, who, min_lead_minutes, max_advance_days, max_length_minutes,
                                  within_opening_hours, free_cancel_minutes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (site_id, resource_kind) DO UPDATE SET who = EXCLUDED.who,
         min_lead_minutes = EXCLUDED.min_lead_minutes, max_advance_days = EXCLUDED.max_advance_days,
         max_length_minutes = EXCLUDED.max_length_minutes, within_opening_hours = EXCLUDED.within_opening_hours,
         free_cancel_minutes = EXCLUDED.free_cancel_minutes
       RETURNING resource_kind, who, min_lead_minutes, max_advance_days, max_length_minutes, within_opening_hours,
                 free_cancel_minutes`,
      [
        siteId,
        rule.resourceKind,
        rule.who,
        rule.minLeadMinutes,
        rule.maxAdvanceDays,
        rule.maxLengthMinutes,
        rule.withinOpeningHours,
        rule.freeCancelMinutes,
      ],
    );
    return toRule(rows[0]);
  }

  async siteExists(siteId: string): Promise<boolean> {
    const { rows } = await this.db.query('SELECT 1 FROM sites WHERE id = $1', [siteId]);
    return rows.length > 0;
  }

  async resource(
    siteId: string,
    resourceId: string,
    q: Queryable = this.db,
  ): Promise<ResourceContext | undefined> {
    const { rows } = await q.query<{
      id: string;
      kind: string;
      bookable: boolean;
      time_zone: string;
      opening_hours: OpeningSlot[] | string;
    }>(
      `SELECT r.id, r.kind, r.bookable, s.time_zone, s.opening_hours
       FROM resources r JOIN sites s ON s.id = r.site_id WHERE r.site_id = $1 AND r.id = $2`,
      [siteId, resourceId],
    );
    const r = rows[0];
    if (!r) return undefined;
    const hours =
      typeof r.opening_hours === 'string' ? (JSON.parse(r.opening_hours) as OpeningSlot[]) : r.opening_hours;
    return { id: r.id, kind: r.kind, bookable: r.bookable, timeZone: r.time_zone, openingHours: hours };
  }

  async memberStatus(siteId: string, memberId: string, q: Queryable = this.db): Promise<string | undefined> {
    const { rows } = await q.query<{ status: string }>(
      'SELECT status FROM members WHERE site_id = $1 AND id = $2',
      [siteId, memberId],
    );
    return rows[0]?.status;
  }

  /**
   * Resource kinds the member may book for a slot starting at `start`: those of the plan of the contract in force
   * that local day, and those of the day passes and hour packs the member holds with something left, unexpired.
   */
  async memberBookableKinds(
    q: Queryable,
    siteId: string,
    memberId: string,
    start: Date,
    at: Date,
  ): Promise<string[]> {
    const { rows } = await q.query<{ kind: string }>(
      `SELECT DISTINCT unnest(p.bookable_kinds) AS kind
       FROM contracts c
       JOIN plans p ON p.site_id = c.site_id AND p.id = c.plan_id
       JOIN sites s ON s.id = c.site_id
       WHERE c.site_id = $1 AND c.member_id = $2 AND c.status <> 'cancelled'
         AND c.start_date <= ($3::timestamptz AT TIME ZONE s.time_zone)::date
         AND (c.end_date IS NULL OR c.end_date > ($3::timestamptz AT TIME ZONE s.time_zone)::date)
       UNION
       SELECT DISTINCT unnest(p.bookable_kinds) AS kind
       FROM vouchers v JOIN plans p ON p.site_id = v.site_id AND p.id = v.plan_id
       WHERE v.site_id = $1 AND v.member_id = $2 AND v.kind IN ('day_pass', 'hour_pack') AND v.balance > 0
         AND v.expires_at > $4`,
      [siteId, memberId, start.toISOString(), at.toISOString()],
    );
    return rows.map((r) => r.kind);
  }
}
