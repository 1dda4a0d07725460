import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '@cw/database';
import { LocalDate } from './zoned-time';

export interface SiteZone {
  timeZone: string;
  currency: string;
}

export interface MemberState {
  status: 'active' | 'offboarded' | 'erased';
}

export interface LedgerEntry {
  id: number;
  contractId: string;
  amountMinor: number;
  entry: 'grant' | 'spend' | 'refund' | 'expire';
  bookingId: string | null;
  createdAt: Date;
}

interface LedgerRow {
  id: string | number;
  contract_id: string;
  amount_minor: number;
  entry: LedgerEntry['entry'];
  booking_id: string | null;
  created_at: Date;
}

/** Credit ledger SQL, plus the few facts about sites, members and contracts that credits depend on. */
@Injectable()
export class CreditsRepository {
  constructor(readonly db: Database) {}

  async site(siteId: string, q: Queryable = this.db): Promise<SiteZone | undefined> {
    const { rows } = await q.query<{ time_zone: string; currency: string }>(
      'SELECT time_zone, currency FROM sites WHERE id = $1',
      [siteId],
    );
    return rows[0] ? { timeZone: rows[0].time_zone, currency: rows[0].currency.trim() } : undefined;
  }

  async member(siteId: string, memberId: string, q: Queryable = this.db): Promise<MemberState | undefined> {
    const { rows } = await q.query<MemberState>('SELECT status FROM members WHERE site_id = $1 AND id = $2', [
      siteId,
      memberId,
    ]);
    return rows[0];
  }

  /**
   * Locks the member's row for the rest of the transaction: every spend of one member's credits, vouchers and passes
   * queues here, so two bookings at once cannot both spend the same balance.
   */
  async lockMember(q: Queryable, siteId: string, memberId: string): Promise<MemberState | undefined> {
    const { rows } = await q.query<MemberState>(
      'SELECT status FROM members WHERE site_id = $1 AND id = $2 FOR UPDATE',
      [siteId, memberId],
    );
    return rows[0];
  }

  /** The member's contract in force on a local date (at most one: the database refuses overlaps). */
  async contractOn(
    q: Queryable,
    siteId: string,
    memberId: string,
    date: LocalDate,
  ): Promise<string | undefined> {
    const { rows } = await q.query<{ id: string }>(
      `SELECT id FROM contracts
       WHERE site_id = $1 AND member_id = $2 AND status <> 'cancelled'
         AND start_date <= $3::date AND (end_date IS NULL OR end_date > $3::date)
       ORDER BY start_date DESC LIMIT 1`,
      [siteId, memberId, date],
    );
    return rows[0]?.id;
  }

  /**
   * Grants the period's credits for every contract of the member that runs during it, once each: the unique index
   * `credit_ledger_grant_once` makes a repeated or concurrent grant a no-op.
   */
  async ensureGrants(
    q: Queryable,
    siteId: string,
    memberId: string,
    period: { start: LocalDate; end: LocalDate },
  ): Promise<void> {
    await q.query(
      `INSERT INTO credit_ledger (site_id, member_id, contract_id, period_start, amount_minor, entry)
       SELECT c.site_id, c.member_id, c.id, $3::date, p.included_credits_minor, 'grant'
       FROM contracts c JOIN plans p ON p.site_id = c.site_id AND p.id = c.plan_id
       WHERE c.site_id = $1 AND c.member_id = $2 AND c.status <> 'cancelled' AND p.included_credits_minor > 0
         AND c.start_date < $4::date AND (c.end_date IS NULL OR c.end_date > $3::date)
       ON CONFLICT (site_id, contract_id, period_start) WHERE entry = 'grant' DO NOTHING`,
      [siteId, memberId, period.start, period.end],
    );
  }

  async entries(
    q: Queryable,
    siteId: string,
    memberId: string,
    periodStart: LocalDate,
  ): Promise<LedgerEntry[]> {
    const { rows } = await q.query<LedgerRow>(
      `SELECT id, contract_id, amount_minor, entry, booking_id, created_at FROM credit_ledger
       WHERE site_id = $1 AND member_id = $2 AND period_start = $3::date ORDER BY id`,
      [siteId, memberId, periodStart],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      contractId: r.contract_id,
      amountMinor: r.amount_minor,
      entry: r.entry,
      bookingId: r.booking_id,
      createdAt: new Date(r.created_at),
    }));
  }

  async balance(q: Queryable, siteId: string, memberId: string, periodStart: LocalDate): Promise<number> {
    const { rows } = await q.query<{ balance: string | number | null }>(
      `SELECT COALESCE(sum(amount_minor), 0) AS balance FROM credit_ledger
       WHERE site_id = $1 AND member_id = $2 AND period_start = $3::date`,
      [siteId, memberId, periodStart],
    );
    return Number(rows[0]?.balance ?? 0);
  }

  async insertEntry(
    q: Queryable,
    row: {
      siteId: string;
      memberId: string;
      contractId: string;
      periodStart: LocalDate;
      amountMinor: number;
      entry: 'spend' | 'refund';
      bookingId: string;
      at: Date;
    },
  ): Promise<void> {
    await q.query(
      `INSERT INTO credit_ledger (site_id, member_id, contract_id, period_start, amount_minor, entry, booking_id, created_at)
       VALUES ($1, $2, $3, $4::date, $5, $6, $7, $8)`,
      [
        row.siteId,
        row.memberId,
        row.contractId,
        row.periodStart,
        row.amountMinor,
        row.entry,
        row.bookingId,
        row.at.toISOString(),
      ],
    );
  }

  /** The credit spend of a booking, with the period and contract it came from (a refund goes back to them). */
  async bookingSpend(
    q: Queryable,
    siteId: string,
    bookingId: string,
  ): Promise<
    { memberId: string; contractId: string; periodStart: LocalDate; amountMinor: number } | undefined
  > {
    const { rows } = await q.query<{
      member_id: string;
      contract_id: string;
      period_start: string;
      amount_minor: number;
    }>(
      `SELECT member_id, contract_id, to_char(period_start, 'YYYY-MM-DD') AS period_start, amount_minor
       FROM credit_ledger WHERE site_id = $1 AND booking_id = $2 AND entry = 'spend'`,
      [siteId, bookingId],
    );
    const r = rows[0];
    return r
      ? {
          memberId: r.member_id,
          contractId: r.contract_id,
          periodStart: r.period_start,
          amountMinor: r.amount_minor,
        }
      : undefined;
  }

  async bookingRefunded(q: Queryable, siteId: string, bookingId: string): Promise<boolean> {
    const { rows } = await q.query(
      `SELECT 1 FROM credit_ledger WHERE site_id = $1 AND booking_id = $2 AND entry = 'refund'`,
      [siteId, bookingId],
    );
    return rows.length > 0;
  }
}
