import { z } from 'zod';
import { InvoiceBalance } from '../invoice-status';
import { FiscalLine } from '../invoice-hash';
import { InvoiceWithMoney } from '../invoices.repository';
import { PaymentResult } from '../payments.service';
import { MANUAL_METHODS } from '../payment-gateway';

const ref = z.string().regex(/^[a-zA-Z0-9_.:-]{1,64}$/, 'letters, digits, _ . : - only, at most 64');
const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine(
    (v) =>
      !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    {
      message: 'no such date',
    },
  );
const minor = z.number().int('integer minor units').positive().max(Number.MAX_SAFE_INTEGER);

export const billingRunSchema = z
  .object({
    period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a calendar month YYYY-MM'),
    dueDays: z.number().int().min(0).max(365).optional(),
  })
  .strict();

export const creditNoteSchema = z
  .object({
    full: z.literal(true).optional(),
    lines: z
      .array(z.object({ lineNo: z.number().int().positive(), amountMinor: minor.optional() }).strict())
      .min(1)
      .max(1000)
      .optional(),
    reason: z.string().trim().min(1).max(500),
  })
  .strict()
  .refine((b) => (b.full === true) !== (b.lines !== undefined), {
    path: ['lines'],
    message: 'give either full: true or lines, not both',
  });

export const paymentSchema = z
  .object({
    id: ref.optional(),
    member: ref.optional(),
    company: ref.optional(),
    /** a guest pays the invoice of the booking they were charged for */
    guestBooking: ref.optional(),
    amountMinor: minor,
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'ISO 4217 code')
      .optional(),
    method: z
      .string()
      .min(1)
      .max(32)
      .describe(`one of: ${MANUAL_METHODS.join(', ')}`),
    reference: z.string().trim().min(1).max(200).optional(),
    receivedAt: z
      .string()
      .datetime({ offset: true, message: 'must be ISO 8601 with an offset' })
      .transform((v) => new Date(v)),
    allocations: z
      .array(z.object({ invoice: z.string().min(1).max(64), amountMinor: minor }).strict())
      .max(1000)
      .optional(),
  })
  .strict()
  .refine((b) => [b.member, b.company, b.guestBooking].filter((v) => v !== undefined).length === 1, {
    path: ['member'],
    message: 'give exactly one of member, company or guestBooking',
  });

export const rangeQuerySchema = z.object({ from: localDate.optional(), to: localDate.optional() }).strict();

export const listInvoicesSchema = z
  .object({
    member: ref.optional(),
    company: ref.optional(),
    from: localDate.optional(),
    to: localDate.optional(),
    kind: z.enum(['invoice', 'credit_note']).optional(),
  })
  .strict();

export interface InvoiceView {
  id: string;
  site: string;
  kind: 'invoice' | 'credit_note';
  series: string;
  number: number;
  member: string | null;
  company: string | null;
  buyer: Record<string, unknown>;
  currency: string;
  periodStart: string | null;
  periodEnd: string | null;
  issueDate: string;
  dueDate: string;
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
  paidMinor: number;
  creditedMinor: number;
  balanceMinor: number;
  status: InvoiceBalance['status'];
  corrects: string | null;
  note: string | null;
  billingRun: string | null;
  issuedAt: string;
  previousHash: string | null;
  hash: string;
  lines?: FiscalLine[];
}

export function toInvoiceView(
  invoice: InvoiceWithMoney,
  balance: InvoiceBalance,
  lines?: FiscalLine[],
): InvoiceView {
  return {
    id: invoice.id,
    site: invoice.siteId,
    kind: invoice.kind,
    series: invoice.series,
    number: invoice.number,
    member: invoice.memberId,
    company: invoice.companyId,
    buyer: invoice.buyer,
    currency: invoice.currency,
    periodStart: invoice.periodStart,
    periodEnd: invoice.periodEnd,
    issueDate: invoice.issueDate,
    dueDate: invoice.dueDate,
    subtotalMinor: invoice.subtotalMinor,
    taxMinor: invoice.taxMinor,
    totalMinor: invoice.totalMinor,
    paidMinor: balance.paidMinor,
    creditedMinor: balance.creditedMinor,
    balanceMinor: balance.balanceMinor,
    status: balance.status,
    corrects: invoice.correctsId,
    note: invoice.note,
    billingRun: invoice.billingRunId,
    issuedAt: invoice.issuedAt,
    previousHash: invoice.previousHash,
    hash: invoice.hash,
    ...(lines ? { lines } : {}),
  };
}

export function toPaymentView(p: PaymentResult) {
  return {
    id: p.id,
    site: p.siteId,
    member: p.memberId,
    company: p.companyId,
    guestBooking: p.guestBookingId,
    amountMinor: p.amountMinor,
    currency: p.currency,
    method: p.method,
    reference: p.reference,
    receivedAt: p.receivedAt.toISOString(),
    allocations: p.allocations.map((a) => ({ invoice: a.invoiceId, amountMinor: a.amountMinor })),
    unallocatedMinor: p.unallocatedMinor,
  };
}
