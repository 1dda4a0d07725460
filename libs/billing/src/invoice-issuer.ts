import { Injectable } from '@nestjs/common';
import { Queryable } from '@cw/database';
import { DraftLine } from './billing-lines';
import { BuyerDocument } from './billing.types';
import { FiscalLine, formatQuantity, invoiceHash } from './invoice-hash';
import { InvoicesRepository, SeriesHeadLock, StoredInvoice } from './invoices.repository';
import { InvoiceTotals } from './tax';

export const INVOICE_SERIES = 'INV';
export const CREDIT_NOTE_SERIES = 'CN';

export interface InvoiceDraft {
  siteId: string;
  series: string;
  kind: 'invoice' | 'credit_note';
  buyer: BuyerDocument;
  memberId: string | null;
  companyId: string | null;
  currency: string;
  periodStart: string | null;
  periodEnd: string | null;
  issueDate: string;
  dueDate: string;
  totals: InvoiceTotals;
  lines: DraftLine[];
  correctsId: string | null;
  note: string | null;
  billingRunId: string | null;
  issuedAt: Date;
  contractIds: string[];
  chargeIds: string[];
}

/** The snapshot an invoice was computed from no longer holds (a charge taken, a contract changed): plan again. */
export class StaleWorkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StaleWorkError';
  }
}

export const invoiceId = (series: string, number: number) => `${series}-${String(number).padStart(6, '0')}`;

/**
 * Issues an invoice or credit note inside the caller's transaction: takes the next number of its series under the
 * series row lock, seals it with the hash chained to the series' last hash, and writes it. Everything the caller did
 * before in the transaction commits or rolls back with it, number included.
 */
@Injectable()
export class InvoiceIssuer {
  constructor(private readonly invoices: InvoicesRepository) {}

  /** `head`: the series head when the caller already locked it in this transaction (saves a round trip). */
  async issue(tx: Queryable, draft: InvoiceDraft, head?: SeriesHeadLock): Promise<StoredInvoice> {
    head ??= await this.invoices.lockSeries(tx, draft.siteId, draft.series);
    const number = head.nextNumber;
    const lines: FiscalLine[] = draft.lines.map((l) => ({
      lineNo: l.lineNo,
      kind: l.kind,
      description: l.description,
      quantity: formatQuantity(l.quantity),
      unitMinor: l.unitMinor,
      amountMinor: l.amountMinor,
      taxRateBp: l.taxRateBp,
      taxMinor: l.taxMinor,
      contractId: l.contractId,
      bookingId: l.bookingId,
      chargeId: l.chargeId,
      periodStart: l.periodStart,
      periodEnd: l.periodEnd,
      correctsLineNo: l.correctsLineNo,
    }));
    const sealed = {
      siteId: draft.siteId,
      id: invoiceId(draft.series, number),
      series: draft.series,
      number,
      kind: draft.kind,
      memberId: draft.memberId,
      companyId: draft.companyId,
      buyer: { ...draft.buyer },
      currency: draft.currency,
      periodStart: draft.periodStart,
      periodEnd: draft.periodEnd,
      issueDate: draft.issueDate,
      dueDate: draft.dueDate,
      subtotalMinor: draft.totals.subtotalMinor,
      taxMinor: draft.totals.taxMinor,
      totalMinor: draft.totals.totalMinor,
      correctsId: draft.correctsId,
      note: draft.note,
      issuedAt: draft.issuedAt.toISOString(),
      previousHash: head.lastHash,
    };
    const invoice: StoredInvoice = {
      ...sealed,
      hash: invoiceHash(sealed, lines),
      billingRunId: draft.billingRunId,
    };
    const { chargesTaken } = await this.invoices.writeIssued(tx, {
      invoice,
      lines,
      contractIds: draft.contractIds,
      chargeIds: draft.chargeIds,
    });
    if (chargesTaken !== draft.chargeIds.length) {
      throw new StaleWorkError(
        `${draft.chargeIds.length - chargesTaken} one-off charges were already invoiced`,
      );
    }
    return invoice;
  }
}
