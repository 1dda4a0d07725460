/**
 * What the platform holds about one member, as plain records, before a scoring day. The repository reads these in a
 * few set-based queries per site; the model turns them into features without any I/O, so it is unit-tested alone.
 * Dates are site-local calendar days ('YYYY-MM-DD'); `asOf` is the scoring day and nothing on or after it counts.
 */
export interface MemberHistory {
  memberId: string;
  /** Kind of the plan of the contract active on the scoring day (virtual offices are not expected to visit). */
  planKind: string;
  /** First day of the member's membership: the earliest start of their contracts. */
  memberSince: string;
  contract: {
    id: string;
    startDate: string;
    /** Exclusive end, when it was known before the scoring day (a fixed term or notice given); else null. */
    endDate: string | null;
    noticeGivenOn: string | null;
    /** A later contract of the member already exists (a renewal or plan change signed): the end is no exit. */
    renewed: boolean;
    priceMinor: number;
  };
  /** The contract this one replaced, when the member changed plan: its monthly price. */
  previousPriceMinor: number | null;
  /** Distinct local days with a granted door entry, within the trend window before the scoring day. */
  visitDays: string[];
  /** The last local day with a granted door entry before the scoring day, however long ago. */
  lastVisit: string | null;
  /** Local start days of the member's bookings (not cancelled) within the trend window, one per booking. */
  bookingDays: string[];
  overdue: {
    /** Invoices due before the scoring day with a balance left on it (payments received before it count). */
    count: number;
    amountMinor: number;
    /** Due date of the oldest of them. */
    oldestDue: string | null;
  };
  /** Invoices due in the last six months whose week of grace ended before the scoring day, and how many of them
   * still had money owing when it did: the member's payment habit, which an overdue count at one instant misses. */
  payments: { judged: number; late: number };
}
