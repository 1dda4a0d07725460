import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '@cw/database';

export interface BookingCharge {
  siteId: string;
  bookingId: string;
  memberId: string | null;
  guestName: string | null;
  guestEmail: string | null;
  currency: string;
  priceMinor: number;
  priceBreakdown: Record<string, unknown>;
  creditsMinor: number;
  voucherMinor: number;
  passMinutes: number;
  chargeMinor: number;
  refundedAt: Date | null;
}

interface ChargeRow {
  site_id: string;
  booking_id: string;
  member_id: string | null;
  guest_name: string | null;
  guest_email: string | null;
  currency: string;
  price_minor: number;
  price_breakdown: Record<string, unknown> | string;
  credits_minor: number;
  voucher_minor: number;
  pass_minutes: number;
  charge_minor: number;
  refunded_at: Date | null;
}

const COLUMNS = `site_id, booking_id, member_id, guest_name, guest_email, currency, price_minor, price_breakdown,
  credits_minor, voucher_minor, pass_minutes, charge_minor, refunded_at`;

function toCharge(r: ChargeRow): BookingCharge {
  return {
    siteId: r.site_id,
    bookingId: r.booking_id,
    memberId: r.member_id,
    guestName: r.guest_name,
    guestEmail: r.guest_email,
    currency: r.currency.trim(),
    priceMinor: r.price_minor,
    priceBreakdown:
      typeof r.price_breakdown === 'string'
        ? (JSON.parse(r.price_breakdown) as Record<string, unknown>)
        : r.price_breakdown,
    creditsMinor: r.credits_minor,
    voucherMinor: r.voucher_minor,
    passMinutes: r.pass_minutes,
    chargeMinor: r.charge_minor,
    refundedAt: r.refunded_at ? new Date(r.refunded_at) : null,
  };
}

/** What each member or guest booking cost and how it was paid (booking_charges); billing reads `charge_minor`. */
@Injectable()
export class BookingChargesRepository {
  constructor(readonly db: Database) {}

  async insert(q: Queryable, c: Omit<BookingCharge, 'refundedAt'>, at: Date): Promise<BookingCharge> {
    const { rows } = await q.query<ChargeRow>(
      `INSERT INTO booking_charges (site_id, booking_id, member_id, guest_name, guest_email, currency, price_minor,
         price_breakdown, credits_minor, voucher_minor, pass_minutes, charge_minor, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, $13)
       RETURNING ${COLUMNS}`,
      [
        c.siteId,
        c.bookingId,
        c.memberId,
        c.guestName,
        c.guestEmail,
        c.currency,
        c.priceMinor,
        JSON.stringify(c.priceBreakdown),
        c.creditsMinor,
        c.voucherMinor,
        c.passMinutes,
        c.chargeMinor,
        at.toISOString(),
      ],
    );
    return toCharge(rows[0]);
  }

  async find(siteId: string, bookingId: string, q: Queryable = this.db): Promise<BookingCharge | undefined> {
    const { rows } = await q.query<ChargeRow>(
      `SELECT ${COLUMNS} FROM booking_charges WHERE site_id = $1 AND booking_id = $2`,
      [siteId, bookingId],
    );
    return rows[0] ? toCharge(rows[0]) : undefined;
  }

  /**
   * Locks the charge against a billing run (which holds it FOR SHARE while it invoices it) and says whether a run has
   * already put it on an invoice. Two statements on purpose: after waiting for a run to commit, only a statement that
   * starts afterwards sees the lines it wrote.
   */
  async lockForRefund(
    q: Queryable,
    siteId: string,
    bookingId: string,
  ): Promise<{ charge: BookingCharge; invoiced: boolean } | undefined> {
    const { rows } = await q.query<ChargeRow>(
      `SELECT ${COLUMNS} FROM booking_charges WHERE site_id = $1 AND booking_id = $2 FOR UPDATE`,
      [siteId, bookingId],
    );
    if (!rows[0]) return undefined;
    const lines = await q.query<{ invoiced: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM invoice_lines WHERE site_id = $1 AND booking_id = $2 AND kind = 'usage')
         AS invoiced`,
      [siteId, bookingId],
    );
    return { charge: toCharge(rows[0]), invoiced: lines.rows[0].invoiced };
  }

  async markRefunded(q: Queryable, siteId: string, bookingId: string, at: Date): Promise<BookingCharge> {
    const { rows } = await q.query<ChargeRow>(
      `UPDATE booking_charges SET refunded_at = $3 WHERE site_id = $1 AND booking_id = $2 AND refunded_at IS NULL
       RETURNING ${COLUMNS}`,
      [siteId, bookingId, at.toISOString()],
    );
    return toCharge(rows[0]);
  }
}
