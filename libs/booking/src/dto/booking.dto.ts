import { z } from 'zod';
import { Booking } from '../booking.types';

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
    start: instant,
    end: instant,
  })
  .strict()
  .refine((b) => b.end > b.start, { path: ['end'], message: 'must be after start' });

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
}

export function toView(b: Booking): BookingView {
  return {
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
}
