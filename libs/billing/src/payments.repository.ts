import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '@cw/database';
import { Allocation } from './allocation';
import { BuyerRef } from './billing.types';

export interface PaymentRecord {
  id: string;
  siteId: string;
  memberId: string | null;
  companyId: string | null;
  /** A guest's payment: the guest booking whose invoice it pays. */
  guestBookingId: string | null;
  amountMinor: number;
  currency: string;
  method: string;
  reference: string | null;
  receivedAt: Date;
  allocations: Allocation[];
}

interface PaymentRow {
  site_id: string;
  id: string;
  member_id: string | null;
  company_id: string | null;
  guest_booking_id: string | null;
  amount_minor: number;
  currency: string;
  method: string;
  reference: string | null;
  received_at: Date;
  allocations: { invoice_id: string; amount_minor: number }[] | string | null;
}

function toPayment(r: PaymentRow): PaymentRecord {
  type AllocationRow = { invoice_id: string; amount_minor: number };
  const allocations: AllocationRow[] =
    typeof r.allocations === 'string'
      ? (JSON.parse(r.allocations) as AllocationRow[])
      : (r.allocations ?? []);
  return {
    id: r.id,
    siteId: r.site_id,
    memberId: r.member_id,
    companyId: r.company_id,
    guestBookingId: r.guest_booking_id,
    amountMinor: Number(r.amount_minor),
    currency: r.currency.trim(),
    method: r.method,
    reference: r.reference,
    receivedAt: new Date(r.received_at),
    allocations: allocations.map((a) => ({
      invoiceId: a.invoice_id,
      amountMinor: Number(a.amount_minor),
    })),
  };
}

const PAYMENT_COLUMNS = `p.site_id, p.id, p.member_id, p.company_id, p.guest_booking_id, p.amount_minor, p.currency, p.method, p.reference,
  p.received_at,
  (SELECT coalesce(jsonb_agg(jsonb_build_object('invoice_id', a.invoice_id, 'amount_minor', a.amount_minor)
     ORDER BY a.invoice_id), '[]'::jsonb)
   FROM payment_allocations a WHERE a.site_id = p.site_id AND a.payment_id = p.id) AS allocations`;

/** SQL of payments and their allocations to invoices. */
@Injectable()
export class PaymentsRepository {
  constructor(readonly db: Database) {}

  async buyerExists(siteId: string, buyer: BuyerRef, q: Queryable = this.db): Promise<boolean> {
    const sql = {
      member: 'SELECT 1 FROM members WHERE site_id = $1 AND id = $2',
      company: 'SELECT 1 FROM companies WHERE site_id = $1 AND id = $2',
      guest:
        'SELECT 1 FROM booking_charges WHERE site_id = $1 AND booking_id = $2 AND guest_name IS NOT NULL',
    }[buyer.type];
    const { rows } = await q.query(sql, [siteId, buyer.id]);
    return rows.length > 0;
  }

  /** The payment and its allocations in one statement; false when the id is taken. */
  async insert(
    tx: Queryable,
    p: Omit<PaymentRecord, 'allocations'>,
    allocations: Allocation[],
  ): Promise<boolean> {
    const { rows } = await tx.query<{ id: string }>(
      `WITH pay AS (
         INSERT INTO payments (site_id, id, member_id, company_id, guest_booking_id, amount_minor, currency, method,
                               reference, received_at)
         VALUES ($1, $2, $3, $4, $12, $5, $6, $7, $8, $9) ON CONFLICT (site_id, id) DO NOTHING RETURNING id
       ), alloc AS (
         INSERT INTO payment_allocations (site_id, payment_id, invoice_id, amount_minor)
         SELECT $1, (SELECT id FROM pay), a.invoice_id, a.amount_minor
         FROM unnest($10::text[], $11::bigint[]) AS a(invoice_id, amount_minor)
         WHERE EXISTS (SELECT 1 FROM pay)
       )
       SELECT id FROM pay`,
      [
        p.siteId,
        p.id,
        p.memberId,
        p.companyId,
        p.amountMinor,
        p.currency,
        p.method,
        p.reference,
        p.receivedAt.toISOString(),
        allocations.map((a) => a.invoiceId),
        allocations.map((a) => a.amountMinor),
        p.guestBookingId,
      ],
    );
    return rows.length > 0;
  }

  async find(siteId: string, id: string, q: Queryable = this.db): Promise<PaymentRecord | undefined> {
    const { rows } = await q.query<PaymentRow>(
      `SELECT ${PAYMENT_COLUMNS} FROM payments p WHERE p.site_id = $1 AND p.id = $2`,
      [siteId, id],
    );
    return rows[0] && toPayment(rows[0]);
  }

  /** Payments received in [from, to) (instants), oldest first. */
  async list(siteId: string, from: Date | null, to: Date | null): Promise<PaymentRecord[]> {
    const { rows } = await this.db.query<PaymentRow>(
      `SELECT ${PAYMENT_COLUMNS} FROM payments p
       WHERE p.site_id = $1 AND ($2::timestamptz IS NULL OR p.received_at >= $2) AND ($3::timestamptz IS NULL OR p.received_at < $3)
       ORDER BY p.received_at, p.id`,
      [siteId, from?.toISOString() ?? null, to?.toISOString() ?? null],
    );
    return rows.map(toPayment);
  }

  /** The instant a local date starts in a zone, as the database's zone rules say. */
  async startOfLocalDate(date: string, timeZone: string): Promise<Date> {
    const { rows } = await this.db.query<{ at: Date }>('SELECT ($1::date::timestamp AT TIME ZONE $2) AS at', [
      date,
      timeZone,
    ]);
    return new Date(rows[0].at);
  }
}
