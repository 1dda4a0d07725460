import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '@cw/database';
import { FiscalInvoice, FiscalLine, formatQuantity } from './invoice-hash';
import { BuyerRef } from './billing.types';

export interface StoredInvoice extends FiscalInvoice {
  hash: string;
  billingRunId: string | null;
}

export interface InvoiceWithMoney extends StoredInvoice {
  paidMinor: number;
  creditedMinor: number;
}

interface InvoiceRow {
  site_id: string;
  id: string;
  series: string;
  number: number;
  kind: 'invoice' | 'credit_note';
  member_id: string | null;
  company_id: string | null;
  buyer: Record<string, unknown> | string;
  currency: string;
  period_start: string | null;
  period_end: string | null;
  issue_date: string;
  due_date: string;
  subtotal_minor: number;
  tax_minor: number;
  total_minor: number;
  corrects_id: string | null;
  note: string | null;
  issued_at: string;
  previous_hash: string | null;
  hash: string;
  billing_run_id: string | null;
  paid_minor?: number;
  credited_minor?: number;
}

interface LineRow {
  invoice_id: string;
  line_no: number;
  kind: string;
  description: string;
  quantity: string;
  unit_minor: number;
  amount_minor: number;
  tax_rate_bp: number;
  tax_minor: number;
  contract_id: string | null;
  booking_id: string | null;
  charge_id: string | null;
  period_start: string | null;
  period_end: string | null;
  corrects_line_no: number | null;
}

// Everything read back for hashing is read as text in a fixed form: dates as YYYY-MM-DD, the instant as UTC ISO with
// milliseconds, so the driver (pg or embedded) and the process time zone never change the bytes hashed.
const INVOICE_COLUMNS = `i.site_id, i.id, i.series, i.number, i.kind, i.member_id, i.company_id, i.buyer, trim(i.currency) AS currency,
  i.period_start::text AS period_start, i.period_end::text AS period_end, i.issue_date::text AS issue_date,
  i.due_date::text AS due_date, i.subtotal_minor, i.tax_minor, i.total_minor, i.corrects_id, i.note,
  to_char(i.issued_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS issued_at, i.previous_hash, i.hash,
  i.billing_run_id`;

const MONEY_COLUMNS = `coalesce((SELECT sum(pa.amount_minor) FROM payment_allocations pa
    WHERE pa.site_id = i.site_id AND pa.invoice_id = i.id), 0)::bigint AS paid_minor,
  coalesce((SELECT -sum(cn.total_minor) FROM invoices cn
    WHERE cn.site_id = i.site_id AND cn.corrects_id = i.id), 0)::bigint AS credited_minor`;

const LINE_COLUMNS = `invoice_id, line_no, kind, description, quantity::text AS quantity, unit_minor, amount_minor,
  tax_rate_bp, tax_minor, contract_id, booking_id, charge_id, period_start::text AS period_start,
  period_end::text AS period_end, corrects_line_no`;

function toInvoice(r: InvoiceRow): InvoiceWithMoney {
  return {
    siteId: r.site_id,
    id: r.id,
    series: r.series,
    number: r.number,
    kind: r.kind,
    memberId: r.member_id,
    companyId: r.company_id,
    buyer: typeof r.buyer === 'string' ? (JSON.parse(r.buyer) as Record<string, unknown>) : r.buyer,
    currency: r.currency,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    issueDate: r.issue_date,
    dueDate: r.due_date,
    subtotalMinor: Number(r.subtotal_minor),
    taxMinor: Number(r.tax_minor),
    totalMinor: Number(r.total_minor),
    correctsId: r.corrects_id,
    note: r.note,
    issuedAt: r.issued_at,
    previousHash: r.previous_hash,
    hash: r.hash,
    billingRunId: r.billing_run_id,
    paidMinor: Number(r.paid_minor ?? 0),
    creditedMinor: Number(r.credited_minor ?? 0),
  };
}

function toLine(r: LineRow): FiscalLine {
  return {
    lineNo: r.line_no,
    kind: r.kind,
    description: r.description,
    quantity: formatQuantity(r.quantity),
    unitMinor: Number(r.unit_minor),
    amountMinor: Number(r.amount_minor),
    taxRateBp: r.tax_rate_bp,
    taxMinor: Number(r.tax_minor),
    contractId: r.contract_id,
    bookingId: r.booking_id,
    chargeId: r.charge_id,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    correctsLineNo: r.corrects_line_no,
  };
}

const buyerFilter = (buyer: BuyerRef, index: number) =>
  ({
    company: `i.company_id = $${index}`,
    member: `i.company_id IS NULL AND i.member_id = $${index}`,
    guest: `i.company_id IS NULL AND i.member_id IS NULL AND i.buyer ->> 'type' = 'guest' AND i.buyer ->> 'id' = $${index}`,
  })[buyer.type];

export interface SeriesHeadLock {
  nextNumber: number;
  lastHash: string | null;
}

export interface InvoiceFilter {
  memberId?: string;
  companyId?: string;
  from?: string;
  to?: string;
  kind?: 'invoice' | 'credit_note';
  limit?: number;
}

export interface IssueWrite {
  invoice: StoredInvoice;
  lines: FiscalLine[];
  /** Contracts this invoice bills for `invoice.periodStart` (billed_periods). */
  contractIds: string[];
  /** One-off charges this invoice takes; the write fails to take any already taken. */
  chargeIds: string[];
}

/** SQL of invoices, their lines, series heads and the money derived from allocations and credit notes. */
@Injectable()
export class InvoicesRepository {
  constructor(readonly db: Database) {}

  /**
   * The series head under a row lock until the transaction ends: the number handed out is the next one, and a
   * transaction that rolls back releases it unused (gapless). Creates the series on first use.
   */
  async lockSeries(
    tx: Queryable,
    siteId: string,
    series: string,
  ): Promise<{ nextNumber: number; lastHash: string | null }> {
    const { rows } = await tx.query<{ next_number: number; last_hash: string | null }>(
      `INSERT INTO invoice_series (site_id, series) VALUES ($1, $2)
       ON CONFLICT (site_id, series) DO UPDATE SET next_number = invoice_series.next_number
       RETURNING next_number, last_hash`,
      [siteId, series],
    );
    return { nextNumber: rows[0].next_number, lastHash: rows[0].last_hash };
  }

  /**
   * Writes an issued invoice in one statement: the row, its lines, the billed periods of its contracts (their
   * primary key stops a second run), the one-off charges it takes, and the series head. Returns how many charges it
   * took, so the caller can refuse a snapshot that no longer holds.
   */
  async writeIssued(tx: Queryable, w: IssueWrite): Promise<{ chargesTaken: number }> {
    const i = w.invoice;
    const lines = w.lines.map((l) => ({
      line_no: l.lineNo,
      kind: l.kind,
      description: l.description,
      quantity: l.quantity,
      unit_minor: l.unitMinor,
      amount_minor: l.amountMinor,
      tax_rate_bp: l.taxRateBp,
      tax_minor: l.taxMinor,
      contract_id: l.contractId,
      booking_id: l.bookingId,
      charge_id: l.chargeId,
      period_start: l.periodStart,
      period_end: l.periodEnd,
      corrects_line_no: l.correctsLineNo,
    }));
    const { rows } = await tx.query<{ taken: number }>(
      `WITH inv AS (
         INSERT INTO invoices (site_id, id, series, number, kind, member_id, company_id, buyer, currency, period_start,
           period_end, issue_date, due_date, subtotal_minor, tax_minor, total_minor, corrects_id, note, billing_run_id,
           previous_hash, hash, issued_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10::date, $11::date, $12::date, $13::date, $14, $15, $16,
           $17, $18, $19, $20, $21, $22::timestamptz)
         RETURNING id
       ), lines AS (
         INSERT INTO invoice_lines (site_id, invoice_id, line_no, kind, description, quantity, unit_minor, amount_minor,
           tax_rate_bp, tax_minor, contract_id, booking_id, charge_id, period_start, period_end, corrects_line_no)
         SELECT $1, (SELECT id FROM inv), l.line_no, l.kind, l.description, l.quantity, l.unit_minor, l.amount_minor,
           l.tax_rate_bp, l.tax_minor, l.contract_id, l.booking_id, l.charge_id, l.period_start, l.period_end,
           l.corrects_line_no
         FROM jsonb_to_recordset($23::jsonb) AS l(line_no integer, kind text, description text, quantity numeric,
           unit_minor bigint, amount_minor bigint, tax_rate_bp integer, tax_minor bigint, contract_id text,
           booking_id text, charge_id text, period_start date, period_end date, corrects_line_no integer)
       ), billed AS (
         INSERT INTO billed_periods (site_id, contract_id, period_start, invoice_id)
         SELECT $1, c, $10::date, (SELECT id FROM inv) FROM unnest($24::text[]) AS c
       ), taken AS (
         UPDATE one_off_charges SET invoice_id = (SELECT id FROM inv)
         WHERE site_id = $1 AND id = ANY ($25::text[]) AND invoice_id IS NULL
         RETURNING id
       ), head AS (
         UPDATE invoice_series SET next_number = $4 + 1, last_hash = $21 WHERE site_id = $1 AND series = $3
       )
       SELECT (SELECT count(*) FROM taken)::int AS taken`,
      [
        i.siteId,
        i.id,
        i.series,
        i.number,
        i.kind,
        i.memberId,
        i.companyId,
        JSON.stringify(i.buyer),
        i.currency,
        i.periodStart,
        i.periodEnd,
        i.issueDate,
        i.dueDate,
        i.subtotalMinor,
        i.taxMinor,
        i.totalMinor,
        i.correctsId,
        i.note,
        i.billingRunId,
        i.previousHash,
        i.hash,
        i.issuedAt,
        JSON.stringify(lines),
        w.contractIds,
        w.chargeIds,
      ],
    );
    return { chargesTaken: rows[0].taken };
  }

  async find(siteId: string, id: string, q: Queryable = this.db): Promise<InvoiceWithMoney | undefined> {
    const { rows } = await q.query<InvoiceRow>(
      `SELECT ${INVOICE_COLUMNS}, ${MONEY_COLUMNS} FROM invoices i WHERE i.site_id = $1 AND i.id = $2`,
      [siteId, id],
    );
    return rows[0] && toInvoice(rows[0]);
  }

  /** Locks an invoice row (no update: the row stays immutable) so credit notes and payments on it serialise. */
  async lock(tx: Queryable, siteId: string, id: string): Promise<InvoiceWithMoney | undefined> {
    const { rows } = await tx.query<{ id: string }>(
      'SELECT id FROM invoices WHERE site_id = $1 AND id = $2 FOR UPDATE',
      [siteId, id],
    );
    return rows[0] ? this.find(siteId, id, tx) : undefined;
  }

  async lines(
    siteId: string,
    invoiceIds: string[],
    q: Queryable = this.db,
  ): Promise<Map<string, FiscalLine[]>> {
    const { rows } = await q.query<LineRow>(
      `SELECT ${LINE_COLUMNS} FROM invoice_lines WHERE site_id = $1 AND invoice_id = ANY ($2::text[])
       ORDER BY invoice_id, line_no`,
      [siteId, invoiceIds],
    );
    const out = new Map<string, FiscalLine[]>(invoiceIds.map((id) => [id, []]));
    for (const r of rows) out.get(r.invoice_id)?.push(toLine(r));
    return out;
  }

  /** Per line of an invoice: what credit notes already took back (positive amounts and taxes). */
  async creditedPerLine(
    q: Queryable,
    siteId: string,
    invoiceId: string,
  ): Promise<Map<number, { amountMinor: number; taxMinor: number }>> {
    const { rows } = await q.query<{ line_no: number; amount: number; tax: number }>(
      `SELECT l.corrects_line_no AS line_no, -sum(l.amount_minor)::bigint AS amount, -sum(l.tax_minor)::bigint AS tax
       FROM invoices cn JOIN invoice_lines l ON l.site_id = cn.site_id AND l.invoice_id = cn.id
       WHERE cn.site_id = $1 AND cn.corrects_id = $2 AND l.corrects_line_no IS NOT NULL
       GROUP BY l.corrects_line_no`,
      [siteId, invoiceId],
    );
    return new Map(rows.map((r) => [r.line_no, { amountMinor: Number(r.amount), taxMinor: Number(r.tax) }]));
  }

  async list(siteId: string, filter: InvoiceFilter, q: Queryable = this.db): Promise<InvoiceWithMoney[]> {
    const { rows } = await q.query<InvoiceRow>(
      `SELECT ${INVOICE_COLUMNS}, ${MONEY_COLUMNS} FROM invoices i
       WHERE i.site_id = $1 AND ($2::text IS NULL OR i.member_id = $2) AND ($3::text IS NULL OR i.company_id = $3)
         AND ($4::date IS NULL OR i.issue_date >= $4::date) AND ($5::date IS NULL OR i.issue_date < $5::date)
         AND ($6::text IS NULL OR i.kind = $6)
       ORDER BY i.issue_date, i.series, i.number LIMIT $7`,
      [
        siteId,
        filter.memberId ?? null,
        filter.companyId ?? null,
        filter.from ?? null,
        filter.to ?? null,
        filter.kind ?? null,
        filter.limit ?? 100_000,
      ],
    );
    return rows.map(toInvoice);
  }

  /** A buyer's invoices (not credit notes), locked for the rest of the transaction: payments to them serialise. */
  async lockBuyerInvoices(tx: Queryable, siteId: string, buyer: BuyerRef): Promise<InvoiceWithMoney[]> {
    await tx.query(
      `SELECT i.id FROM invoices i WHERE i.site_id = $1 AND i.kind = 'invoice' AND ${buyerFilter(buyer, 2)}
       ORDER BY i.id FOR UPDATE`,
      [siteId, buyer.id],
    );
    const { rows } = await tx.query<InvoiceRow>(
      `SELECT ${INVOICE_COLUMNS}, ${MONEY_COLUMNS} FROM invoices i
       WHERE i.site_id = $1 AND i.kind = 'invoice' AND ${buyerFilter(buyer, 2)} ORDER BY i.due_date, i.number`,
      [siteId, buyer.id],
    );
    return rows.map(toInvoice);
  }

  async seriesHeads(
    siteId: string,
  ): Promise<{ series: string; nextNumber: number; lastHash: string | null }[]> {
    const { rows } = await this.db.query<{ series: string; next_number: number; last_hash: string | null }>(
      'SELECT series, next_number, last_hash FROM invoice_series WHERE site_id = $1 ORDER BY series',
      [siteId],
    );
    return rows.map((r) => ({ series: r.series, nextNumber: r.next_number, lastHash: r.last_hash }));
  }

  /** One page of a series in number order, with lines, for the chain check. */
  async seriesPage(
    siteId: string,
    series: string,
    afterNumber: number,
    limit: number,
  ): Promise<{ invoice: StoredInvoice; lines: FiscalLine[] }[]> {
    const { rows } = await this.db.query<InvoiceRow>(
      `SELECT ${INVOICE_COLUMNS} FROM invoices i WHERE i.site_id = $1 AND i.series = $2 AND i.number > $3
       ORDER BY i.number LIMIT $4`,
      [siteId, series, afterNumber, limit],
    );
    const lines = await this.lines(
      siteId,
      rows.map((r) => r.id),
    );
    return rows.map((r) => {
      const invoice = toInvoice(r);
      return { invoice, lines: lines.get(invoice.id) ?? [] };
    });
  }

  /** Invoices past due with their reminders so far, for the overdue sweep. */
  async overdue(siteId: string, today: string): Promise<(InvoiceWithMoney & { reminderLevels: number[] })[]> {
    const { rows } = await this.db.query<InvoiceRow & { levels: number[] | null }>(
      `SELECT ${INVOICE_COLUMNS}, ${MONEY_COLUMNS},
         (SELECT array_agg(r.level ORDER BY r.level) FROM invoice_reminders r
          WHERE r.site_id = i.site_id AND r.invoice_id = i.id) AS levels
       FROM invoices i WHERE i.site_id = $1 AND i.kind = 'invoice' AND i.due_date < $2::date
       ORDER BY i.due_date, i.number`,
      [siteId, today],
    );
    return rows.map((r) => ({ ...toInvoice(r), reminderLevels: r.levels ?? [] }));
  }

  /** Records a reminder once per invoice and level; false when that level was already recorded. */
  async recordReminder(siteId: string, invoiceId: string, level: number, sentAt: Date): Promise<boolean> {
    const { rows } = await this.db.query(
      `INSERT INTO invoice_reminders (site_id, invoice_id, level, sent_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING level`,
      [siteId, invoiceId, level, sentAt.toISOString()],
    );
    return rows.length > 0;
  }

  async reminders(siteId: string, invoiceId: string): Promise<{ level: number; sentAt: Date }[]> {
    const { rows } = await this.db.query<{ level: number; sent_at: Date }>(
      'SELECT level, sent_at FROM invoice_reminders WHERE site_id = $1 AND invoice_id = $2 ORDER BY level',
      [siteId, invoiceId],
    );
    return rows.map((r) => ({ level: r.level, sentAt: new Date(r.sent_at) }));
  }
}
