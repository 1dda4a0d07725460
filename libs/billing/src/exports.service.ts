import { Injectable } from '@nestjs/common';
import { notFound } from '@cw/common';
import { BillingRunsRepository } from './billing-runs.repository';
import { textCell, toCsv } from './csv';
import { InvoicesRepository } from './invoices.repository';
import { formatMinor } from './money';
import { PaymentsRepository } from './payments.repository';

export interface ExportRange {
  /** Local dates of the site, [from, to). */
  from?: string;
  to?: string;
}

const INVOICE_HEADER = [
  'id',
  'kind',
  'series',
  'number',
  'issue_date',
  'due_date',
  'period_start',
  'period_end',
  'buyer_type',
  'buyer_id',
  'buyer_name',
  'buyer_tax_id',
  'member_id',
  'company_id',
  'currency',
  'subtotal_minor',
  'tax_minor',
  'total_minor',
  'subtotal',
  'tax',
  'total',
  'corrects_id',
  'note',
  'hash',
];

const PAYMENT_HEADER = [
  'id',
  'received_at',
  'member_id',
  'company_id',
  'guest_booking_id',
  'method',
  'reference',
  'currency',
  'amount_minor',
  'amount',
  'allocated_minor',
  'unallocated_minor',
  'allocations',
];

const str = (value: unknown) => (typeof value === 'string' ? value : null);

/** CSV for accountants: invoices and credit notes by issue date, payments by the local date they were received. */
@Injectable()
export class ExportsService {
  constructor(
    private readonly invoices: InvoicesRepository,
    private readonly payments: PaymentsRepository,
    private readonly runs: BillingRunsRepository,
  ) {}

  async invoicesCsv(siteId: string, range: ExportRange): Promise<string> {
    if (!(await this.runs.site(siteId))) throw notFound(`site ${siteId}`);
    const rows = (await this.invoices.list(siteId, { from: range.from, to: range.to })).map((i) => [
      i.id,
      i.kind,
      i.series,
      i.number,
      i.issueDate,
      i.dueDate,
      i.periodStart,
      i.periodEnd,
      str(i.buyer.type),
      textCell(str(i.buyer.id)),
      textCell(str(i.buyer.name)),
      textCell(str(i.buyer.taxId)),
      i.memberId,
      i.companyId,
      i.currency,
      i.subtotalMinor,
      i.taxMinor,
      i.totalMinor,
      formatMinor(i.subtotalMinor, i.currency),
      formatMinor(i.taxMinor, i.currency),
      formatMinor(i.totalMinor, i.currency),
      i.correctsId,
      textCell(i.note),
      i.hash,
    ]);
    return toCsv(INVOICE_HEADER, rows);
  }

  async paymentsCsv(siteId: string, range: ExportRange): Promise<string> {
    const site = await this.runs.site(siteId);
    if (!site) throw notFound(`site ${siteId}`);
    const from = range.from ? await this.payments.startOfLocalDate(range.from, site.timeZone) : null;
    const to = range.to ? await this.payments.startOfLocalDate(range.to, site.timeZone) : null;
    const rows = (await this.payments.list(siteId, from, to)).map((p) => {
      const allocated = p.allocations.reduce((sum, a) => sum + a.amountMinor, 0);
      return [
        p.id,
        p.receivedAt.toISOString(),
        p.memberId,
        p.companyId,
        p.guestBookingId,
        p.method,
        textCell(p.reference),
        p.currency,
        p.amountMinor,
        formatMinor(p.amountMinor, p.currency),
        allocated,
        p.amountMinor - allocated,
        p.allocations.map((a) => `${a.invoiceId}:${a.amountMinor}`).join(';'),
      ];
    });
    return toCsv(PAYMENT_HEADER, rows);
  }
}
