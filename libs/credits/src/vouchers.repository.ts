import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '@cw/database';
import { Voucher, VoucherKind } from './voucher-rules';
import { LocalDate } from './zoned-time';

interface VoucherRow {
  site_id: string;
  code: string;
  kind: VoucherKind;
  batch_id: string | null;
  initial: number;
  balance: number;
  expires_at: Date;
  plan_id: string | null;
  member_id: string | null;
  redeemed_at: Date | null;
  created_at: Date;
}

const COLUMNS =
  'site_id, code, kind, batch_id, initial, balance, expires_at, plan_id, member_id, redeemed_at, created_at';

function toVoucher(r: VoucherRow): Voucher {
  return {
    siteId: r.site_id,
    code: r.code,
    kind: r.kind,
    batchId: r.batch_id,
    initial: r.initial,
    balance: r.balance,
    expiresAt: new Date(r.expires_at),
    planId: r.plan_id,
    memberId: r.member_id,
    redeemedAt: r.redeemed_at ? new Date(r.redeemed_at) : null,
    createdAt: new Date(r.created_at),
  };
}

export interface VoucherSpend {
  id: number;
  code: string;
  bookingId: string | null;
  accessDate: LocalDate | null;
  amount: number;
  createdAt: Date;
}

interface SpendRow {
  id: string | number;
  code: string;
  booking_id: string | null;
  access_date: string | null;
  amount: number;
  created_at: Date;
}

function toSpend(r: SpendRow): VoucherSpend {
  return {
    id: Number(r.id),
    code: r.code,
    bookingId: r.booking_id,
    accessDate: r.access_date,
    amount: r.amount,
    createdAt: new Date(r.created_at),
  };
}

const SPEND_COLUMNS = `id, code, booking_id, to_char(access_date, 'YYYY-MM-DD') AS access_date, amount, created_at`;

export interface NewVoucher {
  code: string;
  kind: VoucherKind;
  batchId: string | null;
  value: number;
  expiresAt: Date;
  planId: string | null;
  memberId: string | null;
  redeemedAt: Date | null;
}

/** Voucher, pass and spend SQL. Balances only move by conditional updates, so a balance can never go below zero. */
@Injectable()
export class VouchersRepository {
  constructor(readonly db: Database) {}

  /** Inserts codes in one statement; a code already taken is skipped and missing from the answer. */
  async insertMany(q: Queryable, siteId: string, vouchers: NewVoucher[], at: Date): Promise<Voucher[]> {
    const { rows } = await q.query<VoucherRow>(
      `INSERT INTO vouchers (site_id, code, kind, batch_id, initial, balance, expires_at, plan_id, member_id,
                             redeemed_at, created_at)
       SELECT $1, v.code, v.kind, v.batch_id, v.value, v.value, v.expires_at, v.plan_id, v.member_id, v.redeemed_at, $2
       FROM unnest($3::text[], $4::text[], $5::text[], $6::int[], $7::timestamptz[], $8::text[], $9::text[],
                   $10::timestamptz[]) AS v(code, kind, batch_id, value, expires_at, plan_id, member_id, redeemed_at)
       ON CONFLICT (site_id, code) DO NOTHING
       RETURNING ${COLUMNS}`,
      [
        siteId,
        at.toISOString(),
        vouchers.map((v) => v.code),
        vouchers.map((v) => v.kind),
        vouchers.map((v) => v.batchId),
        vouchers.map((v) => v.value),
        vouchers.map((v) => v.expiresAt.toISOString()),
        vouchers.map((v) => v.planId),
        vouchers.map((v) => v.memberId),
        vouchers.map((v) => v.redeemedAt?.toISOString() ?? null),
      ],
    );
    return rows.map(toVoucher);
  }

  async find(siteId: string, code: string, q: Queryable = this.db): Promise<Voucher | undefined> {
    const { rows } = await q.query<VoucherRow>(
      `SELECT ${COLUMNS} FROM vouchers WHERE site_id = $1 AND code = $2`,
      [siteId, code],
    );
    return rows[0] ? toVoucher(rows[0]) : undefined;
  }

  async list(
    siteId: string,
    filter: { memberId?: string; batchId?: string; kind?: VoucherKind },
  ): Promise<Voucher[]> {
    const { rows } = await this.db.query<VoucherRow>(
      `SELECT ${COLUMNS} FROM vouchers
       WHERE site_id = $1 AND ($2::text IS NULL OR member_id = $2) AND ($3::text IS NULL OR batch_id = $3)
         AND ($4::text IS NULL OR kind = $4)
       ORDER BY created_at, code LIMIT 5000`,
      [siteId, filter.memberId ?? null, filter.batchId ?? null, filter.kind ?? null],
    );
    return rows.map(toVoucher);
  }

  /**
   * Binds an unredeemed, unexpired code to a member in one conditional statement: of two concurrent redemptions the
   * second finds `member_id` already set (it waits for the first's row lock, then re-checks) and changes nothing.
   */
  async redeem(siteId: string, code: string, memberId: string, at: Date): Promise<Voucher | undefined> {
    const { rows } = await this.db.query<VoucherRow>(
      `UPDATE vouchers SET member_id = $3, redeemed_at = $4
       WHERE site_id = $1 AND code = $2 AND member_id IS NULL AND expires_at > $4
       RETURNING ${COLUMNS}`,
      [siteId, code, memberId, at.toISOString()],
    );
    return rows[0] ? toVoucher(rows[0]) : undefined;
  }

  /** The member's vouchers of a kind that can pay at `at`, locked, the first to expire first. */
  async spendable(
    q: Queryable,
    siteId: string,
    memberId: string,
    kind: VoucherKind,
    at: Date,
    resourceKind?: string,
  ): Promise<Voucher[]> {
    const { rows } = await q.query<VoucherRow>(
      `SELECT ${COLUMNS.split(', ')
        .map((c) => `v.${c}`)
        .join(', ')} FROM vouchers v
       LEFT JOIN plans p ON p.site_id = v.site_id AND p.id = v.plan_id
       WHERE v.site_id = $1 AND v.member_id = $2 AND v.kind = $3 AND v.balance > 0 AND v.expires_at > $4
         AND ($5::text IS NULL OR v.plan_id IS NULL OR $5 = ANY(p.bookable_kinds))
       ORDER BY v.expires_at, v.code
       FOR UPDATE OF v`,
      [siteId, memberId, kind, at.toISOString(), resourceKind ?? null],
    );
    return rows.map(toVoucher);
  }

  /** Takes `amount` off a voucher if it still holds that much and has not expired; false when it did not. */
  async debit(q: Queryable, siteId: string, code: string, amount: number, at: Date): Promise<boolean> {
    const { rowCount } = await q.query(
      `UPDATE vouchers SET balance = balance - $3
       WHERE site_id = $1 AND code = $2 AND balance >= $3 AND expires_at > $4`,
      [siteId, code, amount, at.toISOString()],
    );
    return rowCount === 1;
  }

  /** Gives back what a refunded booking took (never more than the voucher started with: a CHECK holds it). */
  async credit(q: Queryable, siteId: string, code: string, amount: number): Promise<void> {
    await q.query('UPDATE vouchers SET balance = balance + $3 WHERE site_id = $1 AND code = $2', [
      siteId,
      code,
      amount,
    ]);
  }

  async insertSpend(
    q: Queryable,
    spend: {
      siteId: string;
      code: string;
      bookingId: string | null;
      accessDate: LocalDate | null;
      amount: number;
    },
    at: Date,
  ): Promise<boolean> {
    const { rowCount } = await q.query(
      `INSERT INTO voucher_spends (site_id, code, booking_id, access_date, amount, created_at)
       VALUES ($1, $2, $3, $4::date, $5, $6)
       ON CONFLICT (site_id, code, access_date) WHERE access_date IS NOT NULL DO NOTHING`,
      [spend.siteId, spend.code, spend.bookingId, spend.accessDate, spend.amount, at.toISOString()],
    );
    return rowCount === 1;
  }

  async spendsOf(siteId: string, code: string): Promise<VoucherSpend[]> {
    const { rows } = await this.db.query<SpendRow>(
      `SELECT ${SPEND_COLUMNS} FROM voucher_spends WHERE site_id = $1 AND code = $2 ORDER BY id`,
      [siteId, code],
    );
    return rows.map(toSpend);
  }

  /** What each voucher or pass still holds of a booking's payment (spends net of refunds), per code. */
  async netSpendsOfBooking(
    q: Queryable,
    siteId: string,
    bookingId: string,
  ): Promise<{ code: string; kind: VoucherKind; amount: number }[]> {
    const { rows } = await q.query<{ code: string; kind: VoucherKind; amount: string | number }>(
      `SELECT s.code, v.kind, sum(s.amount) AS amount
       FROM voucher_spends s JOIN vouchers v ON v.site_id = s.site_id AND v.code = s.code
       WHERE s.site_id = $1 AND s.booking_id = $2
       GROUP BY s.code, v.kind HAVING sum(s.amount) > 0 ORDER BY s.code`,
      [siteId, bookingId],
    );
    return rows.map((r) => ({ code: r.code, kind: r.kind, amount: Number(r.amount) }));
  }

  /** The member's day pass already spent on a local date, if any (a second door decision that day costs nothing). */
  async daySpend(
    q: Queryable,
    siteId: string,
    memberId: string,
    date: LocalDate,
  ): Promise<{ code: string } | undefined> {
    const { rows } = await q.query<{ code: string }>(
      `SELECT s.code FROM voucher_spends s JOIN vouchers v ON v.site_id = s.site_id AND v.code = s.code
       WHERE s.site_id = $1 AND v.member_id = $2 AND v.kind = 'day_pass' AND s.access_date = $3::date AND s.amount > 0
       ORDER BY s.id LIMIT 1`,
      [siteId, memberId, date],
    );
    return rows[0];
  }
}
