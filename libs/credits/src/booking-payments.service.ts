import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, forbidden, notFound } from '@cw/common';
import { Queryable } from '@cw/database';
import { CreditsRepository } from './credits.repository';
import { PaymentPlan, planPayment } from './payment-plan';
import { spendRefusal, Voucher } from './voucher-rules';
import { VouchersRepository } from './vouchers.repository';
import { creditPeriodOf, localDate } from './zoned-time';

export interface PayBooking {
  siteId: string;
  bookingId: string;
  memberId: string;
  resourceKind: string;
  start: Date;
  end: Date;
  priceMinor: number;
  /** The moment of payment: vouchers must still be valid then. */
  at: Date;
}

export interface BookingRefund {
  creditsMinor: number;
  voucherMinor: number;
  passMinutes: number;
}

/**
 * Pays a member's booking inside the caller's transaction (the one that inserts the booking), so a booking that the
 * database refuses spends nothing, and refunds it inside the cancelling one.
 */
@Injectable()
export class BookingPayments {
  constructor(
    private readonly credits: CreditsRepository,
    private readonly vouchers: VouchersRepository,
  ) {}

  async pay(tx: Queryable, input: PayBooking): Promise<PaymentPlan> {
    const site = await this.credits.site(input.siteId, tx);
    if (!site) throw notFound(`site ${input.siteId}`);
    const member = await this.credits.lockMember(tx, input.siteId, input.memberId);
    if (!member) throw notFound(`member ${input.memberId}`);
    if (member.status !== 'active') throw forbidden(`member ${input.memberId} is ${member.status}`);

    const period = creditPeriodOf(input.start, site.timeZone);
    const contractId = await this.credits.contractOn(
      tx,
      input.siteId,
      input.memberId,
      localDate(input.start, site.timeZone),
    );
    let creditsAvailable = 0;
    if (contractId) {
      await this.credits.ensureGrants(tx, input.siteId, input.memberId, period);
      creditsAvailable = await this.credits.balance(tx, input.siteId, input.memberId, period.start);
    }
    const money = await this.vouchers.spendable(tx, input.siteId, input.memberId, 'money', input.at);
    const packs = await this.vouchers.spendable(
      tx,
      input.siteId,
      input.memberId,
      'hour_pack',
      input.at,
      input.resourceKind,
    );
    // The query already picks what can pay; the rule is checked again here so the one definition decides.
    const usable = (vs: Voucher[]) => vs.filter((v) => spendRefusal(v, input.at) === undefined);
    const minutes = Math.round((input.end.getTime() - input.start.getTime()) / 60_000);
    const plan = planPayment(input.priceMinor, minutes, {
      creditsAvailable,
      vouchers: usable(money),
      packs: usable(packs),
    });

    if (plan.creditsMinor > 0 && contractId) {
      await this.credits.insertEntry(tx, {
        siteId: input.siteId,
        memberId: input.memberId,
        contractId,
        periodStart: period.start,
        amountMinor: -plan.creditsMinor,
        entry: 'spend',
        bookingId: input.bookingId,
        at: input.at,
      });
    }
    const draws = [
      ...plan.voucherSpends.map((s) => ({ code: s.code, amount: s.amount })),
      ...plan.packSpends.map((s) => ({ code: s.code, amount: s.minutes })),
    ];
    for (const draw of draws) {
      // The rows are locked, so this holds; a false here means the lock was not taken and must not pass silently.
      if (!(await this.vouchers.debit(tx, input.siteId, draw.code, draw.amount, input.at)))
        throw new DomainError(ErrorCode.Conflict, `voucher ${draw.code} changed while paying; try again`);
      await this.vouchers.insertSpend(
        tx,
        {
          siteId: input.siteId,
          code: draw.code,
          bookingId: input.bookingId,
          accessDate: null,
          amount: draw.amount,
        },
        input.at,
      );
    }
    return plan;
  }

  /**
   * Gives back everything a booking took: a ledger 'refund' row for its credits (into the period they came from), and
   * a negative spend row plus the balance for each voucher and pack. Running it twice gives nothing the second time.
   */
  async refund(tx: Queryable, siteId: string, bookingId: string, at: Date): Promise<BookingRefund> {
    const result: BookingRefund = { creditsMinor: 0, voucherMinor: 0, passMinutes: 0 };
    const spend = await this.credits.bookingSpend(tx, siteId, bookingId);
    if (spend) await this.credits.lockMember(tx, siteId, spend.memberId);
    if (spend && !(await this.credits.bookingRefunded(tx, siteId, bookingId))) {
      await this.credits.insertEntry(tx, {
        siteId,
        memberId: spend.memberId,
        contractId: spend.contractId,
        periodStart: spend.periodStart,
        amountMinor: -spend.amountMinor,
        entry: 'refund',
        bookingId,
        at,
      });
      result.creditsMinor = -spend.amountMinor;
    }
    for (const held of await this.vouchers.netSpendsOfBooking(tx, siteId, bookingId)) {
      await this.vouchers.credit(tx, siteId, held.code, held.amount);
      await this.vouchers.insertSpend(
        tx,
        { siteId, code: held.code, bookingId, accessDate: null, amount: -held.amount },
        at,
      );
      if (held.kind === 'hour_pack') result.passMinutes += held.amount;
      else result.voucherMinor += held.amount;
    }
    return result;
  }
}
