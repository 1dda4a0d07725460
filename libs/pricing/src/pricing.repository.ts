import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '@cw/database';
import { DEFAULT_RULE, PricingContext, SitePricingRule, StoredQuote } from './pricing.types';

interface RuleRow {
  target_utilisation: number;
  sensitivity: number;
  min_multiplier: number;
  max_multiplier: number;
  floor_per_hour_minor: number | null;
  ceiling_per_hour_minor: number | null;
  forecast_weeks: number;
  quote_ttl_seconds: number;
}

interface ContextRow extends Partial<RuleRow> {
  time_zone: string;
  currency: string;
  kind: string;
  base_price_minor: number;
  plan_id: string | null;
  booking_discount_pct: number | null;
}

interface QuoteRow {
  site_id: string;
  id: string;
  resource_id: string;
  member_id: string | null;
  start_at: Date;
  end_at: Date;
  price_minor: number;
  currency: string;
  breakdown: Record<string, unknown>;
  created_at: Date;
  expires_at: Date;
  booking_id: string | null;
}

const RULE_COLUMNS = `target_utilisation, sensitivity, min_multiplier, max_multiplier, floor_per_hour_minor,
  ceiling_per_hour_minor, forecast_weeks, quote_ttl_seconds`;

function toRule(row: Partial<RuleRow> | undefined): SitePricingRule {
  if (!row || row.target_utilisation === null || row.target_utilisation === undefined)
    return { ...DEFAULT_RULE };
  return {
    targetUtilisation: Number(row.target_utilisation),
    sensitivity: Number(row.sensitivity),
    minMultiplier: Number(row.min_multiplier),
    maxMultiplier: Number(row.max_multiplier),
    floorPerHourMinor: row.floor_per_hour_minor ?? null,
    ceilingPerHourMinor: row.ceiling_per_hour_minor ?? null,
    forecastWeeks: Number(row.forecast_weeks),
    quoteTtlSeconds: Number(row.quote_ttl_seconds),
  };
}

const toQuote = (r: QuoteRow): StoredQuote => ({
  id: r.id,
  siteId: r.site_id,
  resourceId: r.resource_id,
  memberId: r.member_id,
  start: new Date(r.start_at),
  end: new Date(r.end_at),
  priceMinor: r.price_minor,
  currency: r.currency.trim(),
  breakdown: r.breakdown,
  createdAt: new Date(r.created_at),
  expiresAt: new Date(r.expires_at),
  bookingId: r.booking_id,
});

@Injectable()
export class PricingRepository {
  constructor(private readonly db: Database) {}

  /** Resource, site, the kind's rule (else the site default) and the member's plan discount on the start date. */
  async context(
    siteId: string,
    resourceId: string,
    memberId: string | null,
    start: Date,
    q: Queryable = this.db,
  ): Promise<PricingContext | undefined> {
    const { rows } = await q.query<ContextRow>(
      `SELECT s.time_zone, s.currency, r.kind, r.base_price_minor, p.plan_id, p.booking_discount_pct,
              pr.target_utilisation, pr.sensitivity, pr.min_multiplier, pr.max_multiplier, pr.floor_per_hour_minor,
              pr.ceiling_per_hour_minor, pr.forecast_weeks, pr.quote_ttl_seconds
       FROM resources r
       JOIN sites s ON s.id = r.site_id
       LEFT JOIN LATERAL (
         SELECT ${RULE_COLUMNS} FROM pricing_rules x
         WHERE x.site_id = r.site_id AND x.resource_kind IN (r.kind, '*')
         ORDER BY (x.resource_kind = '*') LIMIT 1
       ) pr ON true
       LEFT JOIN LATERAL cw_plan_held(r.site_id, $3::text, $4::timestamptz, s.time_zone) p ON true
       WHERE r.site_id = $1 AND r.id = $2`,
      [siteId, resourceId, memberId, start.toISOString()],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      timeZone: row.time_zone,
      currency: row.currency.trim(),
      resourceKind: row.kind,
      basePerHourMinor: row.base_price_minor,
      planId: row.plan_id,
      discountPct: row.booking_discount_pct ?? 0,
      rule: toRule(row),
    };
  }

  async getRule(siteId: string, kind: string): Promise<SitePricingRule | undefined> {
    const { rows } = await this.db.query<RuleRow>(
      `SELECT ${RULE_COLUMNS} FROM pricing_rules WHERE site_id = $1 AND resource_kind = $2`,
      [siteId, kind],
    );
    return rows[0] ? toRule(rows[0]) : undefined;
  }

  async putRule(siteId: string, kind: string, rule: SitePricingRule): Promise<boolean> {
    const { rows } = await this.db.query<{ inserted: boolean }>(
      `INSERT INTO pricing_rules (site_id, resource_kind, ${RULE_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (site_id, resource_kind) DO UPDATE SET target_utilisation = EXCLUDED.target_utilisation,
         sensitivity = EXCLUDED.sensitivity, min_multiplier = EXCLUDED.min_multiplier,
         max_multiplier = EXCLUDED.max_multiplier, floor_per_hour_minor = EXCLUDED.floor_per_hour_minor,
         ceiling_per_hour_minor = EXCLUDED.ceiling_per_hour_minor, forecast_weeks = EXCLUDED.forecast_weeks,
         quote_ttl_seconds = EXCLUDED.quote_ttl_seconds
       RETURNING (xmax = 0) AS inserted`,
      [
        siteId,
        kind,
        rule.targetUtilisation,
        rule.sensitivity,
        rule.minMultiplier,
        rule.maxMultiplier,
        rule.floorPerHourMinor,
        rule.ceilingPerHourMinor,
        rule.forecastWeeks,
        rule.quoteTtlSeconds,
      ],
    );
    return rows[0].inserted;
  }

  /**
   * Utilisation of a resource kind per local hour of week over the weeks before `before`: occupied seconds over
   * the seconds the kind's resources could have been used in that hour. The aggregate only holds open hours, so an
   * hour the site never opens has no entry (and prices at the base).
   */
  async kindUtilisationByHourOfWeek(
    siteId: string,
    kind: string,
    before: Date,
    weeks: number,
    q: Queryable = this.db,
  ): Promise<Map<number, number>> {
    const { rows } = await q.query<{ local_how: number; occupied_s: string; observed_s: string }>(
      `SELECT k.local_how, sum(k.occupied_s)::bigint AS occupied_s,
              (count(DISTINCT k.local_date) * 3600 * (SELECT count(*) FROM resources r WHERE r.site_id = $1 AND r.kind = $2))::bigint AS observed_s
       FROM kpi_kind_hourly k
       WHERE k.site_id = $1 AND k.resource_kind = $2
         AND k.bucket >= $3::timestamptz - make_interval(weeks => $4) AND k.bucket < $3::timestamptz
       GROUP BY k.local_how`,
      [siteId, kind, before.toISOString(), weeks],
    );
    const forecast = new Map<number, number>();
    for (const row of rows) {
      const observed = Number(row.observed_s);
      if (observed > 0) forecast.set(Number(row.local_how), Math.min(1, Number(row.occupied_s) / observed));
    }
    return forecast;
  }

  async insertQuote(quote: StoredQuote): Promise<void> {
    await this.db.query(
      `INSERT INTO price_quotes (site_id, id, resource_id, member_id, start_at, end_at, price_minor, currency,
         breakdown, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11)`,
      [
        quote.siteId,
        quote.id,
        quote.resourceId,
        quote.memberId,
        quote.start.toISOString(),
        quote.end.toISOString(),
        quote.priceMinor,
        quote.currency,
        JSON.stringify(quote.breakdown),
        quote.createdAt.toISOString(),
        quote.expiresAt.toISOString(),
      ],
    );
  }

  async findQuote(
    siteId: string,
    id: string,
    q: Queryable = this.db,
    lock = false,
  ): Promise<StoredQuote | undefined> {
    const { rows } = await q.query<QuoteRow>(
      `SELECT * FROM price_quotes WHERE site_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
      [siteId, id],
    );
    return rows[0] ? toQuote(rows[0]) : undefined;
  }

  /** Claims a quote for a booking; false when another booking claimed it first. */
  async claimQuote(siteId: string, id: string, bookingId: string, q: Queryable): Promise<boolean> {
    const result = await q.query(
      `UPDATE price_quotes SET booking_id = $3 WHERE site_id = $1 AND id = $2 AND (booking_id IS NULL OR booking_id = $3)`,
      [siteId, id, bookingId],
    );
    return result.rowCount > 0;
  }
}
