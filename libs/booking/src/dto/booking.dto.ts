import { z } from 'zod';
import { Booking } from '../booking.types';
import { BookingCharge } from '../payment/booking-charges.repository';

const ref = z.string().regex(/^[a-zA-Z0-9_.:-]{1,64}$/, 'letters, digits, _ . : - only, at most 64');
const instant = z
  .string()
  .datetime({ offset: true, message: 'must be ISO 8601 with an offset' })
  .transform((v) => new Date(v));

export const createBookingSchema = z
  .object({
    site: ref,
    id: ref.optional(),
    resource: ref,
    member: ref.nullable().optional(),
    /** someone who is not a member: booked under the rules for guests and charged in full */
    guest: z
      .object({ name: z.string().trim().min(1).max(200), email: z.string().email().max(320).optional() })
      .strict()
      .optional(),
    /** a price quote given earlier, honoured for a member or guest booking */
    quote: ref.optional(),
    start: instant,
    end: instant,
  })
  .strict()
  .refine((b) => b.end > b.start, { path: ['end'], message: 'must be after start' })
  .refine((b) => !(b.guest && b.member), {
    path: ['guest'],
    message: 'a booking is for a member or a guest, not both',
  });

export const moveBookingSchema = z
  .object({
    resource: ref.optional(),
    member: ref.nullable().optional(),
    start: instant.optional(),
    end: instant.optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });

export const checkInSchema = z.object({ at: instant.optional() }).strict();

export const listBookingsSchema = z.object({ site: ref.optional(), from: instant, to: instant }).strict();

export interface BookingView {
  id: string;
  site: string;
  resource: string;
  member: string | null;
  start: string;
  end: string;
  status: Booking['status'];
  source: Booking['source'];
  checkedInAt: string | null;
  lateCheckinAt: string | null;
  version: number;
  /** Member and guest bookings only: the price as quoted and how it was paid. */
  payment?: PaymentView;
}

export interface PaymentView {
  currency: string;
  priceMinor: number;
  creditsMinor: number;
  voucherMinor: number;
  passMinutes: number;
  /** left to pay, on the member's next invoice */
  chargeMinor: number;
  refunded: boolean;
  refundedAt: string | null;
  guest: { name: string; email: string | null } | null;
  breakdown: Record<string, unknown>;
}

export function paymentView(c: BookingCharge): PaymentView {
  return {
    currency: c.currency,
    priceMinor: c.priceMinor,
    creditsMinor: c.creditsMinor,
    voucherMinor: c.voucherMinor,
    passMinutes: c.passMinutes,
    chargeMinor: c.chargeMinor,
    refunded: c.refundedAt !== null,
    refundedAt: c.refundedAt?.toISOString() ?? null,
    guest: c.guestName ? { name: c.guestName, email: c.guestEmail } : null,
    breakdown: c.priceBreakdown,
  };
}

export function toView(b: Booking, charge?: BookingCharge): BookingView {
  const view: BookingView = {
    id: b.id,
    site: b.siteId,
    resource: b.resourceId,
    member: b.memberId,
    start: b.start.toISOString(),
    end: b.end.toISOString(),
    status: b.status,
    source: b.source,
    checkedInAt: b.checkedInAt?.toISOString() ?? null,
    lateCheckinAt: b.lateCheckinAt?.toISOString() ?? null,
    version: b.version,
  };
  if (charge) view.payment = paymentView(charge);
  return view;
}
