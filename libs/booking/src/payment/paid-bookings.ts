import { Injectable } from '@nestjs/common';
import { BookingPayments } from '@cw/credits';
import { Clock, DomainError, ErrorCode, invalid, notFound } from '@cw/common';
import { Queryable } from '@cw/database';
import { Booking } from '../booking.types';
import { BookingsRepository } from '../bookings.repository';
import { BookingPricer } from '../pricing/booking-pricer';
import { Booker, bookingRefusal, freeCancelDeadline } from '../rules/booking-rules';
import { BookingRulesRepository } from '../rules/booking-rules.repository';
import { BookingCharge, BookingChargesRepository } from './booking-charges.repository';

export interface Guest {
  name: string;
  email?: string;
}

export interface PaidBookingInput {
  siteId: string;
  id: string;
  resourceId: string;
  memberId: string | null;
  guest: Guest | null;
  start: Date;
  end: Date;
  /** The caller is an admin or manager (rules may reserve a kind for staff). */
  byStaff: boolean;
  /** A price quote given to the booker earlier, which the pricer honours. */
  quoteId?: string;
}

export interface CancelOutcome {
  refunded: boolean;
  charge: BookingCharge | undefined;
}

/**
 * Bookings made for a member or a guest: checked against the booking rules, priced, and paid (plan credits, vouchers,
 * hour packs, then the invoice) in the same transaction as the insert, so a booking the database refuses (an
 * overlap) leaves every balance as it was. Cancelled early enough, everything paid comes back.
 */
@Injectable()
export class PaidBookings {
  constructor(
    private readonly bookings: BookingsRepository,
    private readonly rules: BookingRulesRepository,
    private readonly charges: BookingChargesRepository,
    private readonly pricer: BookingPricer,
    private readonly payments: BookingPayments,
    private readonly clock: Clock,
  ) {}

  /**
   * A booking is paid when it has a guest, or names a member registered on the site. Bookings from integrations that
   * name people the platform does not know as members keep the plain behaviour: no rules, no price.
   */
  async applies(siteId: string, memberId: string | null, guest: Guest | null): Promise<boolean> {
    if (guest) return true;
    return memberId !== null && (await this.rules.memberStatus(siteId, memberId)) !== undefined;
  }

  /** The booking, or undefined when the id is already taken (the caller decides whether that is a replay). */
  async create(input: PaidBookingInput): Promise<{ booking: Booking; charge: BookingCharge } | undefined> {
    const now = this.clock.now();
    const resource = await this.rules.resource(input.siteId, input.resourceId);
    if (!resource)
      throw invalid(`unknown resource ${input.resourceId}`, [
        { path: 'resource', message: `unknown resource ${input.resourceId}` },
      ]);
    const booker = await this.booker(input, now);
    const { rule } = await this.rules.ruleFor(input.siteId, resource.kind);
    const refusal = bookingRefusal({
      rule,
      resource,
      booker,
      byStaff: input.byStaff,
      start: input.start,
      end: input.end,
      now,
      timeZone: resource.timeZone,
      openingHours: resource.openingHours,
    });
    if (refusal) throw refusal;
    return this.bookings.db.transaction(async (tx) => {
      const booking = await this.bookings.insert(
        {
          siteId: input.siteId,
          id: input.id,
          resourceId: input.resourceId,
          memberId: input.memberId,
          start: input.start,
          end: input.end,
          source: 'api',
        },
        tx,
      );
      if (!booking) return undefined;
      // Priced in the booking's transaction, so a quote honoured for it is used up only if the booking stands.
      const quote = await this.pricer.quote(
        {
          siteId: input.siteId,
          resourceId: input.resourceId,
          start: input.start,
          end: input.end,
          memberId: input.memberId,
          bookingId: booking.id,
          ...(input.quoteId ? { quoteId: input.quoteId } : {}),
        },
        tx,
      );
      const paid = input.memberId
        ? await this.payments.pay(tx, {
            siteId: input.siteId,
            bookingId: booking.id,
            memberId: input.memberId,
            resourceKind: resource.kind,
            start: input.start,
            end: input.end,
            priceMinor: quote.priceMinor,
            at: now,
          })
        : { creditsMinor: 0, voucherMinor: 0, passMinutes: 0, chargeMinor: quote.priceMinor };
      const charge = await this.charges.insert(
        tx,
        {
          siteId: input.siteId,
          bookingId: booking.id,
          memberId: input.memberId,
          guestName: input.guest?.name ?? null,
          guestEmail: input.guest?.email ?? null,
          currency: quote.currency,
          priceMinor: quote.priceMinor,
          priceBreakdown: quote.breakdown,
          creditsMinor: paid.creditsMinor,
          voucherMinor: paid.voucherMinor,
          passMinutes: paid.passMinutes,
          chargeMinor: paid.chargeMinor,
        },
        now,
      );
      return { booking, charge };
    });
  }

  /** A paid booking keeps the slot and price it was paid for: moving it means cancelling and booking again. */
  async assertMovable(tx: Queryable, booking: Booking): Promise<void> {
    if (await this.charges.find(booking.siteId, booking.id, tx))
      throw new DomainError(
        ErrorCode.Conflict,
        `booking ${booking.id} was paid for its slot; cancel it and book again to change it`,
      );
  }

  /**
   * Inside the cancelling transaction: up to the rule's free cancellation deadline, credits, voucher balance and pass
   * minutes come back and the charge is marked refunded (billing then skips it); later, everything stays spent.
   * A charge already on an invoice (a run of the booking's month went first) is settled as well: the invoice is
   * immutable and a correction is a credit note, so refunding here would both bill and give back the same booking.
   */
  async onCancel(tx: Queryable, booking: Booking): Promise<CancelOutcome> {
    const held = await this.charges.lockForRefund(tx, booking.siteId, booking.id);
    const charge = held?.charge;
    if (!held || !charge || charge.refundedAt || held.invoiced) return { refunded: false, charge };
    const resource = await this.rules.resource(booking.siteId, booking.resourceId, tx);
    const { rule } = await this.rules.ruleFor(booking.siteId, resource?.kind ?? '*', tx);
    const now = this.clock.now();
    if (now > freeCancelDeadline(booking.start, rule)) return { refunded: false, charge };
    await this.payments.refund(tx, booking.siteId, booking.id, now);
    return { refunded: true, charge: await this.charges.markRefunded(tx, booking.siteId, booking.id, now) };
  }

  charge(siteId: string, bookingId: string): Promise<BookingCharge | undefined> {
    return this.charges.find(siteId, bookingId);
  }

  private async booker(input: PaidBookingInput, now: Date): Promise<Booker> {
    if (!input.memberId) return { kind: 'guest' };
    const status = await this.rules.memberStatus(input.siteId, input.memberId);
    if (!status) throw notFound(`member ${input.memberId}`);
    const bookableKinds = await this.rules.memberBookableKinds(
      this.rules.db,
      input.siteId,
      input.memberId,
      input.start,
      now,
    );
    return { kind: 'member', memberId: input.memberId, status, bookableKinds };
  }
}
