export const BOOKING_STATUSES = ['confirmed', 'checked_in', 'cancelled', 'released', 'ended'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

export interface Booking {
  siteId: string;
  id: string;
  resourceId: string;
  memberId: string | null;
  start: Date;
  end: Date;
  status: BookingStatus;
  source: 'api' | 'external';
  checkedInAt: Date | null;
  lateCheckinAt: Date | null;
  version: number;
}

/** Bookings that hold their slot: the exclusion constraint covers exactly these. */
export const ACTIVE_STATUSES: readonly BookingStatus[] = ['confirmed', 'checked_in'];

export type CheckInOutcome =
  | { outcome: 'checked_in'; booking: Booking }
  | { outcome: 'already_checked_in'; booking: Booking }
  /** Evidence after the release: kept as `late_checkin_at`, the release stands. */
  | { outcome: 'late_after_release'; booking: Booking }
  | { outcome: 'not_active'; booking: Booking };
