import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '@cw/database';
import { Plan, PlanKind, PlanPeriod, Upserted, WeeklyHours } from './membership.types';

interface PlanRow {
  site_id: string;
  id: string;
  name: string;
  kind: PlanKind;
  price_minor: number;
  period: PlanPeriod;
  included_credits_minor: number;
  pass_days: number | null;
  pass_minutes: number | null;
  pass_valid_days: number | null;
  access_zones: string[];
  access_hours: WeeklyHours[];
  bookable_kinds: string[];
  booking_discount_pct: number;
  active: boolean;
  created_at: Date;
}

const COLUMNS =
  'site_id, id, name, kind, price_minor, period, included_credits_minor, pass_days, pass_minutes, pass_valid_days, ' +
  'access_zones, access_hours, bookable_kinds, booking_discount_pct, active, created_at';

const toPlan = (r: PlanRow): Plan => ({
  siteId: r.site_id,
  id: r.id,
  name: r.name,
  kind: r.kind,
  priceMinor: r.price_minor,
  period: r.period,
  includedCreditsMinor: r.included_credits_minor,
  passDays: r.pass_days,
  passMinutes: r.pass_minutes,
  passValidDays: r.pass_valid_days,
  accessZones: r.access_zones,
  accessHours: r.access_hours,
  bookableKinds: r.bookable_kinds,
  bookingDiscountPct: r.booking_discount_pct,
  active: r.active,
  createdAt: new Date(r.created_at),
});

export type PlanFields = Omit<Plan, 'siteId' | 'id' | 'createdAt'>;

@Injectable()
export class PlansRepository {
  constructor(readonly db: Database) {}

  async upsert(siteId: string, id: string, p: PlanFields): Promise<Upserted<Plan>> {
    const { rows } = await this.db.query<PlanRow & { created: boolean }>(
      `INSERT INTO plans (site_id, id, name, kind, price_minor, period, included_credits_minor, pass_days,
         pass_minutes, pass_valid_days, access_zones, access_hours, bookable_kinds, booking_discount_pct, active)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::text[], $12::jsonb, $13::text[], $14, $15)
       ON CONFLICT (site_id, id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind,
         price_minor = EXCLUDED.price_minor, period = EXCLUDED.period,
         included_credits_minor = EXCLUDED.included_credits_minor, pass_days = EXCLUDED.pass_days,
         pass_minutes = EXCLUDED.pass_minutes, pass_valid_days = EXCLUDED.pass_valid_days,
         access_zones = EXCLUDED.access_zones, access_hours = EXCLUDED.access_hours,
         bookable_kinds = EXCLUDED.bookable_kinds, booking_discount_pct = EXCLUDED.booking_discount_pct,
         active = EXCLUDED.active
       RETURNING ${COLUMNS}, (xmax = 0) AS created`,
      [
        siteId,
        id,
        p.name,
        p.kind,
        p.priceMinor,
        p.period,
        p.includedCreditsMinor,
        p.passDays,
        p.passMinutes,
        p.passValidDays,
        p.accessZones,
        JSON.stringify(p.accessHours),
        p.bookableKinds,
        p.bookingDiscountPct,
        p.active,
      ],
    );
    return { created: rows[0].created, value: toPlan(rows[0]) };
  }

  async find(siteId: string, id: string, q: Queryable = this.db): Promise<Plan | undefined> {
    const { rows } = await q.query<PlanRow>(`SELECT ${COLUMNS} FROM plans WHERE site_id = $1 AND id = $2`, [
      siteId,
      id,
    ]);
    return rows[0] && toPlan(rows[0]);
  }

  async list(siteId: string): Promise<Plan[]> {
    const { rows } = await this.db.query<PlanRow>(
      `SELECT ${COLUMNS} FROM plans WHERE site_id = $1 ORDER BY id`,
      [siteId],
    );
    return rows.map(toPlan);
  }

  /** Whether contracts or passes refer to the plan. */
  async isSold(siteId: string, id: string): Promise<boolean> {
    const { rows } = await this.db.query<{ sold: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM contracts WHERE site_id = $1 AND plan_id = $2)
           OR EXISTS (SELECT 1 FROM vouchers WHERE site_id = $1 AND plan_id = $2) AS sold`,
      [siteId, id],
    );
    return rows[0].sold;
  }
}
