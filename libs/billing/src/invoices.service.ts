import { Injectable } from '@nestjs/common';
import { Clock, notFound } from '@cw/common';
import { Database } from '@cw/database';
import { BillingRunsRepository } from './billing-runs.repository';
import { BuyerDocument, SiteBilling } from './billing.types';
import { buildCreditLines, CreditRequest } from './credit-lines';
import { FiscalLine } from './invoice-hash';
import { CREDIT_NOTE_SERIES, InvoiceIssuer } from './invoice-issuer';
import { deriveBalance, InvoiceBalance } from './invoice-status';
import { InvoiceFilter, InvoicesRepository, InvoiceWithMoney } from './invoices.repository';
import { localDate } from './local-dates';

export interface InvoiceDetails {
  invoice: InvoiceWithMoney;
  balance: InvoiceBalance;
  lines?: FiscalLine[];
}

/** Reading invoices with their derived payment state, and correcting them with credit notes. */
@Injectable()
export class InvoicesService {
  constructor(
    private readonly db: Database,
    private readonly invoices: InvoicesRepository,
    private readonly runs: BillingRunsRepository,
    private readonly issuer: InvoiceIssuer,
    private readonly clock: Clock,
  ) {}

  async site(siteId: string): Promise<SiteBilling> {
    const site = await this.runs.site(siteId);
    if (!site) throw notFound(`site ${siteId}`);
    return site;
  }

  async today(siteId: string): Promise<string> {
    return localDate(this.clock.now(), (await this.site(siteId)).timeZone);
  }

  async get(siteId: string, id: string): Promise<InvoiceDetails> {
    const today = await this.today(siteId);
    const invoice = await this.invoices.find(siteId, id);
    if (!invoice) throw notFound(`invoice ${id}`);
    const lines = (await this.invoices.lines(siteId, [id])).get(id) ?? [];
    return { invoice, balance: this.balanceOf(invoice, today), lines };
  }

  async list(siteId: string, filter: InvoiceFilter): Promise<InvoiceDetails[]> {
    const today = await this.today(siteId);
    const invoices = await this.invoices.list(siteId, filter);
    return invoices.map((invoice) => ({ invoice, balance: this.balanceOf(invoice, today) }));
  }

  balanceOf(invoice: InvoiceWithMoney, today: string): InvoiceBalance {
    return deriveBalance({
      kind: invoice.kind,
      totalMinor: invoice.totalMinor,
      paidMinor: invoice.paidMinor,
      creditedMinor: invoice.creditedMinor,
      dueDate: invoice.dueDate,
      today,
    });
  }

  /**
   * A credit note in its own series: negative lines that reverse all or part of an invoice, linked by corrects_id.
   * The invoice itself is never touched; its balance goes down by the credit note's total.
   */
  async creditNote(siteId: string, invoiceId: string, request: CreditRequest): Promise<InvoiceDetails> {
    const site = await this.site(siteId);
    const issued = await this.db.transaction(async (tx) => {
      const original = await this.invoices.lock(tx, siteId, invoiceId);
      if (!original) throw notFound(`invoice ${invoiceId}`);
      if (original.kind !== 'invoice') throw notFound(`invoice ${invoiceId} (it is a credit note)`);
      const lines = (await this.invoices.lines(siteId, [invoiceId], tx)).get(invoiceId) ?? [];
      const credited = await this.invoices.creditedPerLine(tx, siteId, invoiceId);
      const creditLines = buildCreditLines(invoiceId, lines, credited, request);
      // The line taxes were fixed by buildCreditLines (exact reversal); the note's tax is their sum.
      const subtotalMinor = creditLines.reduce((sum, l) => sum + l.amountMinor, 0);
      const taxMinor = creditLines.reduce((sum, l) => sum + l.taxMinor, 0);
      const now = this.clock.now();
      const issueDate = localDate(now, site.timeZone);
      return this.issuer.issue(tx, {
        siteId,
        series: CREDIT_NOTE_SERIES,
        kind: 'credit_note',
        buyer: original.buyer as unknown as BuyerDocument,
        memberId: original.memberId,
        companyId: original.companyId,
        currency: original.currency,
        periodStart: original.periodStart,
        periodEnd: original.periodEnd,
        issueDate,
        dueDate: issueDate,
        totals: { subtotalMinor, taxMinor, totalMinor: subtotalMinor + taxMinor },
        lines: creditLines,
        correctsId: invoiceId,
        note: request.reason,
        billingRunId: null,
        issuedAt: now,
        contractIds: [],
        chargeIds: [],
      });
    });
    return this.get(siteId, issued.id);
  }
}
