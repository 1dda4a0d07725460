import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '@cw/database';
import { BillingPeriod } from './proration';
import {
  BuyerRecord,
  BuyerRef,
  PendingContract,
  PendingScope,
  PendingWork,
  SiteBilling,
} from './billing.types';
import { ChargeToBill, UsageToBill } from './billing-lines';
import { SeriesHeadLock } from './invoices.repository';

interface ContractRow {
  id: string;
  member_id: string;
  member_name: string;
  company_id: string | null;
  plan_name: string;
  price_minor: number;
  start_date: string;
  end_date: string | null;
}

interface UsageRow {
  booking_id: string;
  member_id: string | null;
  resource_name: string;
  start_at: Date | string;
  charge_minor: number;
}

interface ChargeRow {
  id: string;
  member_id: string;
  description: string;
  amount_minor: number;
  charge_date: string;
}

export interface LockedContract {
  id: string;
  price_minor: number;
  start_date: string;
  end_date: string | null;
  status: string;
}

export interface LockedWork {
  contracts: Map<string, LockedContract>;
  /** booking id -> charge still billable (not refunded). */
  billableUsage: Map<string, number>;
  head: SeriesHeadLock;
}

export interface BillingRunRecord {
  id: string;
  periodStart: string;
  periodEnd: string;
  startedAt: Date;
  finishedAt: Date | null;
  invoices: number;
}

/** Contracts active in [start, end): the same test everywhere a period's contracts are read. */
const ACTIVE_IN_PERIOD = `c.status <> 'cancelled' AND c.start_date < $3::date AND (c.end_date IS NULL OR c.end_date > $2::date)`;

/** SQL of billing runs: what is left to bill in a period, and the run records. Dates are read as text (local dates). */
@Injectable()
export class BillingRunsRepository {
  constructor(readonly db: Database) {}

  async site(siteId: string, q: Queryable = this.db): Promise<SiteBilling | undefined> {
    const { rows } = await q.query<{ time_zone: string; currency: string; tax_rate_bp: number }>(
      'SELECT time_zone, currency, tax_rate_bp FROM sites WHERE id = $1',
      [siteId],
    );
    const row = rows[0];
    return (
      row && { siteId, timeZone: row.time_zone, currency: row.currency.trim(), taxRateBp: row.tax_rate_bp }
    );
  }

  async siteIds(): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>('SELECT id FROM sites ORDER BY id');
    return rows.map((r) => r.id);
  }

  async createRun(siteId: string, id: string, period: BillingPeriod, startedAt: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO billing_runs (site_id, id, period_start, period_end, started_at) VALUES ($1, $2, $3, $4, $5)`,
      [siteId, id, period.start, period.end, startedAt.toISOString()],
    );
  }

  async finishRun(siteId: string, id: string, invoices: number, finishedAt: Date): Promise<void> {
    await this.db.query(
      `UPDATE billing_runs SET finished_at = $3, invoices = $4 WHERE site_id = $1 AND id = $2`,
      [siteId, id, finishedAt.toISOString(), invoices],
    );
  }

  async runs(siteId: string, periodStart?: string): Promise<BillingRunRecord[]> {
    const { rows } = await this.db.query<{
      id: string;
      period_start: string;
      period_end: string;
      started_at: Date;
      finished_at: Date | null;
      invoices: number;
    }>(
      `SELECT id, period_start::text, period_end::text, started_at, finished_at, invoices FROM billing_runs
       WHERE site_id = $1 AND ($2::date IS NULL OR period_start = $2::date) ORDER BY started_at DESC, id LIMIT 500`,
      [siteId, periodStart ?? null],
    );
    return rows.map((r) => ({
      id: r.id,
      periodStart: r.period_start,
      periodEnd: r.period_end,
      startedAt: new Date(r.started_at),
      finishedAt: r.finished_at ? new Date(r.finished_at) : null,
      invoices: r.invoices,
    }));
  }

  async hasFinishedRun(siteId: string, periodStart: string): Promise<boolean> {
    const { rows } = await this.db.query(
      `SELECT 1 FROM billing_runs WHERE site_id = $1 AND period_start = $2::date AND finished_at IS NOT NULL LIMIT 1`,
      [siteId, periodStart],
    );
    return rows.length > 0;
  }

  /**
   * Everything not yet billed for the period, optionally only for some members and guest bookings: monthly contracts
   * active in it without a billed_periods row, unrefunded booking charges of members and guests for bookings starting
   * before its end
   * without a usage line, and one-off charges dated before its end not yet on an invoice.
   */
  async pending(
    site: SiteBilling,
    period: BillingPeriod,
    scope: PendingScope | null = null,
    q: Queryable = this.db,
  ): Promise<PendingWork> {
    const memberIds = scope?.memberIds ?? null;
    const params = [site.siteId, period.start, period.end, memberIds];
    const contracts = await q.query<ContractRow>(
      `SELECT c.id, c.member_id, m.name AS member_name, c.company_id, p.name AS plan_name, c.price_minor,
              c.start_date::text AS start_date, c.end_date::text AS end_date
       FROM contracts c
       JOIN plans p ON p.site_id = c.site_id AND p.id = c.plan_id
       JOIN members m ON m.site_id = c.site_id AND m.id = c.member_id
       WHERE c.site_id = $1 AND ${ACTIVE_IN_PERIOD} AND p.period = 'month'
         AND ($4::text[] IS NULL OR c.member_id = ANY ($4::text[]))
         AND NOT EXISTS (SELECT 1 FROM billed_periods bp
                         WHERE bp.site_id = c.site_id AND bp.contract_id = c.id AND bp.period_start = $2::date)`,
      params,
    );
    const usage = await q.query<UsageRow>(
      `SELECT bc.booking_id, bc.member_id, coalesce(r.name, b.resource_id) AS resource_name, b.start_at,
              bc.charge_minor
       FROM booking_charges bc
       JOIN bookings b ON b.site_id = bc.site_id AND b.id = bc.booking_id
       LEFT JOIN resources r ON r.site_id = b.site_id AND r.id = b.resource_id
       WHERE bc.site_id = $1 AND (bc.member_id IS NOT NULL OR bc.guest_name IS NOT NULL)
         AND bc.charge_minor > 0 AND bc.refunded_at IS NULL
         AND b.start_at < ($2::date::timestamp AT TIME ZONE $4)
         AND ($3::text[] IS NULL OR bc.member_id = ANY ($3::text[]) OR bc.booking_id = ANY ($5::text[]))
         AND NOT EXISTS (SELECT 1 FROM invoice_lines il
                         WHERE il.site_id = bc.site_id AND il.booking_id = bc.booking_id AND il.kind = 'usage')`,
      [site.siteId, period.end, memberIds, site.timeZone, scope?.guestBookingIds ?? []],
    );
    const charges = await q.query<ChargeRow>(
      `SELECT id, member_id, description, amount_minor, charge_date::text AS charge_date FROM one_off_charges
       WHERE site_id = $1 AND invoice_id IS NULL AND charge_date < $2::date
         AND ($3::text[] IS NULL OR member_id = ANY ($3::text[]))`,
      [site.siteId, period.end, memberIds],
    );
    const members = [
      ...new Set([
        ...usage.rows.flatMap((r) => (r.member_id === null ? [] : [r.member_id])),
        ...charges.rows.map((r) => r.member_id),
      ]),
    ];
    const payerOfMember = new Map<string, string | null>();
    if (members.length) {
      // The member's latest contract active in the period decides who pays the member's usage and charges.
      const payers = await q.query<{ member_id: string; company_id: string | null }>(
        `SELECT DISTINCT ON (c.member_id) c.member_id, c.company_id FROM contracts c
         WHERE c.site_id = $1 AND ${ACTIVE_IN_PERIOD} AND c.member_id = ANY ($4::text[])
         ORDER BY c.member_id, c.start_date DESC`,
        [site.siteId, period.start, period.end, members],
      );
      for (const row of payers.rows) payerOfMember.set(row.member_id, row.company_id);
    }
    return {
      contracts: contracts.rows.map((r): PendingContract => ({
        id: r.id,
        memberId: r.member_id,
        memberName: r.member_name,
        companyId: r.company_id,
        planName: r.plan_name,
        priceMinor: r.price_minor,
        startDate: r.start_date,
        endDate: r.end_date,
      })),
      usage: usage.rows.map((r): UsageToBill => ({
        bookingId: r.booking_id,
        memberId: r.member_id,
        resourceName: r.resource_name,
        start: new Date(r.start_at),
        chargeMinor: r.charge_minor,
      })),
      charges: charges.rows.map((r): ChargeToBill => ({
        id: r.id,
        memberId: r.member_id,
        description: r.description,
        amountMinor: r.amount_minor,
        chargeDate: r.charge_date,
      })),
      payerOfMember,
    };
  }

  /** The buyers as they are now, to print on their invoices: companies, members and guests in one statement. */
  async buyers(siteId: string, refs: BuyerRef[], q: Queryable = this.db): Promise<Map<string, BuyerRecord>> {
    const idsOf = (type: BuyerRef['type']) => refs.filter((r) => r.type === type).map((r) => r.id);
    const out = new Map<string, BuyerRecord>();
    if (!refs.length) return out;
    const { rows } = await q.query<{
      type: BuyerRef['type'];
      id: string;
      name: string;
      tax_id: string | null;
      address: string | null;
      email: string | null;
      member_id: string | null;
      company_id: string | null;
    }>(
      `SELECT 'company' AS type, id, name, tax_id, address, billing_email AS email, billing_member_id AS member_id,
              id AS company_id
       FROM companies WHERE site_id = $1 AND id = ANY ($2::text[])
       UNION ALL
       SELECT 'member', id, name, tax_id, address, email, id, NULL FROM members WHERE site_id = $1 AND id = ANY ($3::text[])
       UNION ALL
       SELECT 'guest', booking_id, guest_name, NULL, NULL, guest_email, NULL, NULL FROM booking_charges
       WHERE site_id = $1 AND booking_id = ANY ($4::text[]) AND guest_name IS NOT NULL`,
      [siteId, idsOf('company'), idsOf('member'), idsOf('guest')],
    );
    for (const r of rows)
      out.set(`${r.type}:${r.id}`, {
        document: {
          type: r.type,
          id: r.id,
          name: r.name,
          taxId: r.tax_id,
          address: r.address,
          email: r.email,
        },
        memberId: r.member_id,
        companyId: r.company_id,
      });
    return out;
  }

  /**
   * First statement of an issuing transaction, one round trip: locks the contracts (a concurrent plan change waits)
   * and the booking charges (a concurrent refund waits) and returns them as they are now, so the caller can check its
   * snapshot still holds; then takes the series head under its row lock (see InvoicesRepository.lockSeries).
   */
  async lockForIssue(
    tx: Queryable,
    siteId: string,
    contractIds: string[],
    bookingIds: string[],
    series: string,
  ): Promise<LockedWork> {
    const { rows } = await tx.query<{
      contracts: LockedContract[] | string | null;
      usage: { booking_id: string; charge_minor: number; refunded: boolean }[] | string | null;
      next_number: number;
      last_hash: string | null;
    }>(
      `WITH c AS (
         SELECT id, price_minor, start_date::text AS start_date, end_date::text AS end_date, status FROM contracts
         WHERE site_id = $1 AND id = ANY ($2::text[]) ORDER BY id FOR SHARE
       ), u AS (
         SELECT booking_id, charge_minor, refunded_at IS NOT NULL AS refunded FROM booking_charges
         WHERE site_id = $1 AND booking_id = ANY ($3::text[]) ORDER BY booking_id FOR SHARE
       ), locked AS (
         SELECT (SELECT json_agg(c) FROM c) AS contracts, (SELECT json_agg(u) FROM u) AS usage
       ), head AS (
         INSERT INTO invoice_series (site_id, series) SELECT $1, $4 FROM locked
         ON CONFLICT (site_id, series) DO UPDATE SET next_number = invoice_series.next_number
         RETURNING next_number, last_hash
       )
       SELECT locked.contracts, locked.usage, head.next_number, head.last_hash FROM locked, head`,
      [siteId, contractIds, bookingIds, series],
    );
    const row = rows[0];
    const parse = <T>(value: T[] | string | null): T[] =>
      value === null ? [] : typeof value === 'string' ? (JSON.parse(value) as T[]) : value;
    const usage = parse(row.usage);
    return {
      contracts: new Map(parse(row.contracts).map((c) => [c.id, c])),
      billableUsage: new Map(
        usage.filter((u) => !u.refunded).map((u) => [u.booking_id, Number(u.charge_minor)]),
      ),
      head: { nextNumber: row.next_number, lastHash: row.last_hash },
    };
  }
}
