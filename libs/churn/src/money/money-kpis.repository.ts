import { Injectable } from '@nestjs/common';
import { Database } from '@cw/database';

export interface MembershipRow {
  mrr_start: string | number;
  mrr_end: string | number;
  active_start: number;
  active_end: number;
  desk_members_end: number;
  churned: number;
}

export interface StreamRow {
  stream: string;
  invoice_kind: 'invoice' | 'credit_note';
  amount: string | number;
}

export interface OverdueTotalsRow {
  count: number;
  amount: string | number | null;
}

/** Plans whose holders take a desk: what membership occupancy counts against desk capacity. */
export const DESK_PLAN_KINDS = ['flex_desk', 'fixed_desk', 'private_office'];

/** Local midnight starting a site-local day, as an instant. */
const MIDNIGHT = (day: string, zone: string) => `((${day}::date)::timestamp AT TIME ZONE ${zone})`;

/** The money KPIs' reads: one query each, per site and period, over the membership and billing tables. */
@Injectable()
export class MoneyKpisRepository {
  constructor(private readonly db: Database) {}

  async site(siteId: string): Promise<{ timeZone: string; currency: string } | undefined> {
    const { rows } = await this.db.query<{ time_zone: string; currency: string }>(
      'SELECT time_zone, currency FROM sites WHERE id = $1',
      [siteId],
    );
    return rows[0] ? { timeZone: rows[0].time_zone, currency: rows[0].currency.trim() } : undefined;
  }

  /**
   * Monthly membership contracts around a period: MRR and members active on its first and last day, members holding
   * a desk plan on the last day, and members active on the first day whose last contract ended inside the period
   * (end dates are exclusive: an end on day E means the last day was E - 1, so "ended in [S, E)" is S < end <= E).
   */
  async membership(siteId: string, first: string, last: string, end: string): Promise<MembershipRow> {
    const { rows } = await this.db.query<MembershipRow>(
      `WITH c AS (
         SELECT c.member_id, c.price_minor, c.start_date, c.end_date, p.kind = ANY($5::text[]) AS desk
         FROM contracts c JOIN plans p ON p.site_id = c.site_id AND p.id = c.plan_id
         WHERE c.site_id = $1 AND c.status <> 'cancelled' AND p.period = 'month'
       ),
       members AS (
         SELECT member_id,
                bool_or(start_date <= $2::date AND (end_date IS NULL OR end_date > $2::date)) AS active_start,
                bool_or(start_date <= $3::date AND (end_date IS NULL OR end_date > $3::date)) AS active_end,
                bool_or(desk AND start_date <= $3::date AND (end_date IS NULL OR end_date > $3::date)) AS desk_end,
                max(COALESCE(end_date, 'infinity'::date)) AS last_end
         FROM c GROUP BY member_id
       )
       SELECT
         (SELECT COALESCE(sum(price_minor), 0) FROM c
           WHERE start_date <= $2::date AND (end_date IS NULL OR end_date > $2::date)) AS mrr_start,
         (SELECT COALESCE(sum(price_minor), 0) FROM c
           WHERE start_date <= $3::date AND (end_date IS NULL OR end_date > $3::date)) AS mrr_end,
         count(*) FILTER (WHERE active_start)::int AS active_start,
         count(*) FILTER (WHERE active_end)::int AS active_end,
         count(*) FILTER (WHERE desk_end)::int AS desk_members_end,
         count(*) FILTER (WHERE active_start AND last_end > $2::date AND last_end <= $4::date)::int AS churned
       FROM members`,
      [siteId, first, last, end, DESK_PLAN_KINDS],
    );
    return rows[0];
  }

  async deskCapacity(siteId: string): Promise<number> {
    const { rows } = await this.db.query<{ capacity: string | number }>(
      "SELECT COALESCE(sum(capacity), 0) AS capacity FROM resources WHERE site_id = $1 AND kind = 'desk'",
      [siteId],
    );
    return Number(rows[0].capacity);
  }

  /**
   * Net line amounts of invoices and credit notes issued in the period, by stream. A credit note line counts against
   * the stream of the line it corrects (corrects_line_no), else against its own kind.
   */
  async revenueByStream(siteId: string, start: string, end: string): Promise<StreamRow[]> {
    const { rows } = await this.db.query<StreamRow>(
      `SELECT COALESCE(o.kind, l.kind) AS stream, i.kind AS invoice_kind, sum(l.amount_minor) AS amount
       FROM invoice_lines l
       JOIN invoices i ON i.site_id = l.site_id AND i.id = l.invoice_id
       LEFT JOIN invoice_lines o ON i.kind = 'credit_note' AND o.site_id = i.site_id
         AND o.invoice_id = i.corrects_id AND o.line_no = l.corrects_line_no
       WHERE l.site_id = $1 AND i.issue_date >= $2::date AND i.issue_date < $3::date
       GROUP BY 1, 2`,
      [siteId, start, end],
    );
    return rows;
  }

  /**
   * Invoices due before `asOf` with something still owed at its start: total less payments received before it and
   * the (positive) totals of credit notes issued before it.
   */
  async overdue(siteId: string, asOf: string, timeZone: string): Promise<OverdueTotalsRow> {
    const { rows } = await this.db.query<OverdueTotalsRow>(
      `WITH due AS (
         SELECT id, total_minor FROM invoices WHERE site_id = $1 AND kind = 'invoice' AND due_date < $2::date
       ),
       paid AS (
         SELECT a.invoice_id, sum(a.amount_minor) AS amount
         FROM payment_allocations a JOIN payments p ON p.site_id = a.site_id AND p.id = a.payment_id
         WHERE a.site_id = $1 AND p.received_at < ${MIDNIGHT('$2', '$3')}
         GROUP BY a.invoice_id
       ),
       credited AS (
         SELECT corrects_id AS invoice_id, sum(abs(total_minor)) AS amount
         FROM invoices WHERE site_id = $1 AND kind = 'credit_note' AND issue_date < $2::date
         GROUP BY corrects_id
       ),
       balances AS (
         SELECT due.total_minor - COALESCE(paid.amount, 0) - COALESCE(credited.amount, 0) AS balance
         FROM due LEFT JOIN paid ON paid.invoice_id = due.id LEFT JOIN credited ON credited.invoice_id = due.id
       )
       SELECT count(*) FILTER (WHERE balance > 0)::int AS count, sum(balance) FILTER (WHERE balance > 0) AS amount
       FROM balances`,
      [siteId, asOf, timeZone],
    );
    return rows[0];
  }
}
