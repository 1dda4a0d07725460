import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '@cw/database';
import { LocalDate } from './zoned-time';

export interface PassPlan {
  id: string;
  name: string;
  kind: string;
  priceMinor: number;
  period: 'month' | 'once';
  passDays: number | null;
  passMinutes: number | null;
  passValidDays: number | null;
  active: boolean;
}

/** Plans sold as passes and the one-off charges their sales leave for billing. */
@Injectable()
export class PassesRepository {
  constructor(readonly db: Database) {}

  async plan(q: Queryable, siteId: string, planId: string): Promise<PassPlan | undefined> {
    const { rows } = await q.query<{
      id: string;
      name: string;
      kind: string;
      price_minor: number;
      period: 'month' | 'once';
      pass_days: number | null;
      pass_minutes: number | null;
      pass_valid_days: number | null;
      active: boolean;
    }>(
      `SELECT id, name, kind, price_minor, period, pass_days, pass_minutes, pass_valid_days, active
       FROM plans WHERE site_id = $1 AND id = $2`,
      [siteId, planId],
    );
    const r = rows[0];
    return r
      ? {
          id: r.id,
          name: r.name,
          kind: r.kind,
          priceMinor: r.price_minor,
          period: r.period,
          passDays: r.pass_days,
          passMinutes: r.pass_minutes,
          passValidDays: r.pass_valid_days,
          active: r.active,
        }
      : undefined;
  }

  async insertCharge(
    q: Queryable,
    charge: {
      siteId: string;
      id: string;
      memberId: string;
      description: string;
      amountMinor: number;
      date: LocalDate;
    },
    at: Date,
  ): Promise<void> {
    await q.query(
      `INSERT INTO one_off_charges (site_id, id, member_id, description, amount_minor, charge_date, created_at)
       VALUES ($1, $2, $3, $4, $5, $6::date, $7)`,
      [
        charge.siteId,
        charge.id,
        charge.memberId,
        charge.description,
        charge.amountMinor,
        charge.date,
        at.toISOString(),
      ],
    );
  }
}
