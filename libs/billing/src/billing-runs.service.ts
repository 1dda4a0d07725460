import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock, notFound } from '@cw/common';
import { Database } from '@cw/database';
import { buildInvoiceLines } from './billing-lines';
import { BillingRunsRepository } from './billing-runs.repository';
import { BuyerRecord, BuyerWork, buyerKey, groupByBuyer, scopeOf, SiteBilling } from './billing.types';
import { InvoiceIssuer, INVOICE_SERIES, StaleWorkError } from './invoice-issuer';
import { addDays, localDate, monthPeriod } from './local-dates';
import { BillingPeriod } from './proration';

export interface BillingRunResult {
  runId: string;
  siteId: string;
  period: string;
  periodStart: string;
  periodEnd: string;
  invoiceIds: string[];
  /** Buyers whose work another run issued first (concurrent runs): billed once, by the other run. */
  alreadyBilled: number;
}

export interface RunOptions {
  /** Payment term: due date = issue date + this many days. */
  dueDays?: number;
}

export const DEFAULT_DUE_DAYS = 14;
const ATTEMPTS = 5;

// Lost races that planning again resolves: unique keys (billed_periods, usage once), deadlocks, serialization.
const RETRYABLE_SQLSTATES = new Set(['23505', '40P01', '40001']);

function retryable(error: unknown): boolean {
  if (error instanceof StaleWorkError) return true;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && RETRYABLE_SQLSTATES.has(code);
}

/**
 * Billing runs: for a calendar month of the site, one invoice per buyer grouping what is left to bill. Idempotent per
 * contract and period (billed_periods), per booking (one usage line) and per one-off charge (its invoice_id): a
 * second run, or one running at the same time, finds nothing left and issues nothing.
 */
@Injectable()
export class BillingRunsService {
  private readonly logger = new Logger(BillingRunsService.name);

  constructor(
    private readonly db: Database,
    private readonly runs: BillingRunsRepository,
    private readonly issuer: InvoiceIssuer,
    private readonly clock: Clock,
  ) {}

  async run(siteId: string, month: string, options: RunOptions = {}): Promise<BillingRunResult> {
    const site = await this.runs.site(siteId);
    if (!site) throw notFound(`site ${siteId}`);
    const period = monthPeriod(month);
    const runId = `run_${randomUUID().replace(/-/g, '')}`;
    await this.runs.createRun(siteId, runId, period, this.clock.now());
    const groups = groupByBuyer(await this.runs.pending(site, period));
    const buyers = await this.runs.buyers(
      siteId,
      groups.map((g) => g.buyer),
    );
    const invoiceIds: string[] = [];
    let alreadyBilled = 0;
    for (const group of groups) {
      const issued = await this.issueForBuyer(site, period, runId, group, buyers, options);
      if (issued) invoiceIds.push(issued);
      else alreadyBilled += 1;
    }
    await this.runs.finishRun(siteId, runId, invoiceIds.length, this.clock.now());
    this.logger.log(
      { siteId, period: month, runId, invoices: invoiceIds.length, alreadyBilled },
      'billing run done',
    );
    return {
      runId,
      siteId,
      period: month,
      periodStart: period.start,
      periodEnd: period.end,
      invoiceIds,
      alreadyBilled,
    };
  }

  /** One buyer's invoice in one transaction; on a lost race, plans that buyer again from a fresh read. */
  private async issueForBuyer(
    site: SiteBilling,
    period: BillingPeriod,
    runId: string,
    first: BuyerWork,
    buyers: Map<string, BuyerRecord>,
    options: RunOptions,
  ): Promise<string | null> {
    let group: BuyerWork | undefined = first;
    for (let attempt = 1; group; attempt++) {
      try {
        return await this.issueOnce(site, period, runId, group, buyers, options);
      } catch (error) {
        if (!retryable(error) || attempt >= ATTEMPTS) throw error;
        const fresh = groupByBuyer(await this.runs.pending(site, period, scopeOf(group)));
        group = fresh.find((g) => buyerKey(g.buyer) === buyerKey(first.buyer));
      }
    }
    return null;
  }

  private async issueOnce(
    site: SiteBilling,
    period: BillingPeriod,
    runId: string,
    group: BuyerWork,
    buyers: Map<string, BuyerRecord>,
    options: RunOptions,
  ): Promise<string | null> {
    const buyer =
      buyers.get(buyerKey(group.buyer)) ??
      (await this.runs.buyers(site.siteId, [group.buyer])).get(buyerKey(group.buyer));
    if (!buyer) throw notFound(`${group.buyer.type} ${group.buyer.id}`);
    const { lines, totals } = buildInvoiceLines({
      period,
      timeZone: site.timeZone,
      taxRateBp: site.taxRateBp,
      contracts: group.contracts,
      usage: group.usage,
      charges: group.charges,
    });
    if (!lines.length) return null;
    const now = this.clock.now();
    const issueDate = localDate(now, site.timeZone);
    return this.db.transaction(async (tx) => {
      const locked = await this.runs.lockForIssue(
        tx,
        site.siteId,
        group.contracts.map((c) => c.id),
        group.usage.map((u) => u.bookingId),
        INVOICE_SERIES,
      );
      for (const c of group.contracts) {
        const current = locked.contracts.get(c.id);
        if (
          !current ||
          current.status === 'cancelled' ||
          current.price_minor !== c.priceMinor ||
          current.end_date !== c.endDate
        )
          throw new StaleWorkError(`contract ${c.id} changed while it was being billed`);
      }
      for (const u of group.usage)
        if (locked.billableUsage.get(u.bookingId) !== u.chargeMinor)
          throw new StaleWorkError(`booking charge ${u.bookingId} changed while it was being billed`);
      const issued = await this.issuer.issue(
        tx,
        {
          siteId: site.siteId,
          series: INVOICE_SERIES,
          kind: 'invoice',
          buyer: buyer.document,
          memberId: buyer.memberId,
          companyId: buyer.companyId,
          currency: site.currency,
          periodStart: period.start,
          periodEnd: period.end,
          issueDate,
          dueDate: addDays(issueDate, options.dueDays ?? DEFAULT_DUE_DAYS),
          totals,
          lines,
          correctsId: null,
          note: null,
          billingRunId: runId,
          issuedAt: now,
          contractIds: group.contracts.map((c) => c.id),
          chargeIds: group.charges.map((c) => c.id),
        },
        locked.head,
      );
      return issued.id;
    });
  }
}
