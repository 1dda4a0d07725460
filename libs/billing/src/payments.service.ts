import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock, DomainError, ErrorCode, invalid, notFound } from '@cw/common';
import { Database } from '@cw/database';
import { Allocation, allocateOldestFirst, checkExplicitAllocations, OpenInvoice } from './allocation';
import { BuyerRef } from './billing.types';
import { deriveBalance } from './invoice-status';
import { InvoicesRepository } from './invoices.repository';
import { InvoicesService } from './invoices.service';
import { localDate } from './local-dates';
import { PaymentGateway } from './payment-gateway';
import { PaymentRecord, PaymentsRepository } from './payments.repository';

export const PAYMENT_GATEWAYS = Symbol('PAYMENT_GATEWAYS');

export interface RecordPayment {
  id?: string;
  buyer: BuyerRef;
  amountMinor: number;
  currency?: string;
  method: string;
  reference: string | null;
  receivedAt: Date;
  /** Absent: oldest open invoice first. */
  allocations?: Allocation[];
}

export interface PaymentResult extends PaymentRecord {
  unallocatedMinor: number;
}

/** Records payments through their gateway and allocates them to the buyer's invoices, in one transaction. */
@Injectable()
export class PaymentsService {
  constructor(
    private readonly db: Database,
    private readonly payments: PaymentsRepository,
    private readonly invoices: InvoicesRepository,
    private readonly invoiceViews: InvoicesService,
    private readonly clock: Clock,
    @Inject(PAYMENT_GATEWAYS) private readonly gateways: PaymentGateway[],
  ) {}

  gatewayFor(method: string): PaymentGateway {
    const gateway = this.gateways.find((g) => g.methods.includes(method));
    if (!gateway) {
      const known = this.gateways.flatMap((g) => g.methods).join(', ');
      throw invalid('unknown payment method', [{ path: 'method', message: `one of: ${known}` }]);
    }
    return gateway;
  }

  async record(siteId: string, input: RecordPayment): Promise<PaymentResult> {
    const site = await this.invoiceViews.site(siteId);
    if (input.currency && input.currency !== site.currency) {
      throw invalid('payment currency differs from the site currency', [
        { path: 'currency', message: `this site bills in ${site.currency}` },
      ]);
    }
    if (!(await this.payments.buyerExists(siteId, input.buyer))) {
      throw notFound(`${input.buyer.type} ${input.buyer.id}`);
    }
    const confirmed = await this.gatewayFor(input.method).confirm({
      siteId,
      amountMinor: input.amountMinor,
      currency: site.currency,
      method: input.method,
      reference: input.reference,
      receivedAt: input.receivedAt,
    });
    const id = input.id ?? `pay_${randomUUID().replace(/-/g, '')}`;
    const today = localDate(this.clock.now(), site.timeZone);
    const plan = await this.db.transaction(async (tx) => {
      const invoices = await this.invoices.lockBuyerInvoices(tx, siteId, input.buyer);
      const open: OpenInvoice[] = invoices
        .map((i) => ({ invoice: i, balance: deriveBalance({ ...i, today }) }))
        .filter(({ balance }) => balance.balanceMinor > 0)
        .map(({ invoice, balance }) => ({
          id: invoice.id,
          balanceMinor: balance.balanceMinor,
          dueDate: invoice.dueDate,
          issueDate: invoice.issueDate,
          series: invoice.series,
          number: invoice.number,
        }));
      const allocation = input.allocations
        ? checkExplicitAllocations(input.amountMinor, input.allocations, open)
        : allocateOldestFirst(input.amountMinor, open);
      const inserted = await this.payments.insert(
        tx,
        {
          id,
          siteId,
          memberId: input.buyer.type === 'member' ? input.buyer.id : null,
          companyId: input.buyer.type === 'company' ? input.buyer.id : null,
          guestBookingId: input.buyer.type === 'guest' ? input.buyer.id : null,
          amountMinor: input.amountMinor,
          currency: site.currency,
          method: confirmed.method,
          reference: confirmed.reference,
          receivedAt: confirmed.receivedAt,
        },
        allocation.allocations,
      );
      if (!inserted) throw new DomainError(ErrorCode.Conflict, `payment ${id} already exists`);
      return allocation;
    });
    const payment = await this.payments.find(siteId, id);
    if (!payment) throw notFound(`payment ${id}`);
    return { ...payment, unallocatedMinor: plan.unallocatedMinor };
  }

  async get(siteId: string, id: string): Promise<PaymentResult> {
    const payment = await this.payments.find(siteId, id);
    if (!payment) throw notFound(`payment ${id}`);
    const allocated = payment.allocations.reduce((sum, a) => sum + a.amountMinor, 0);
    return { ...payment, unallocatedMinor: payment.amountMinor - allocated };
  }
}
