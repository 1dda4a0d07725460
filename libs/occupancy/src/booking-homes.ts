/** Bookings over a minute past their end are dropped from the resource models too (`forgetPast`). */
const FORGET_AFTER_MS = 60_000;
/** The index is not pruned below this size: pruning a small map costs more than it saves. */
const MIN_PRUNE_SIZE = 1024;

/**
 * Which resource each booking of a site was filed under. A booking change removes the booking from that one resource
 * instead of searching all of them (a burst of 1,000 releases on a site of 3,460 resources spent half a second in that
 * search). Entries of bookings long ended are pruned, amortised over insertions, so the index stays the size of the
 * site's current bookings.
 */
export class BookingHomes {
  private readonly homes = new Map<string, { resourceId: string; end: number }>();
  private pruneAt = MIN_PRUNE_SIZE;

  get size(): number {
    return this.homes.size;
  }

  note(bookingId: string, resourceId: string, end: number, now?: number): void {
    this.homes.set(bookingId, { resourceId, end });
    if (now !== undefined && this.homes.size > this.pruneAt) this.prune(now);
  }

  /** Where the booking was filed, forgetting it. */
  take(bookingId: string): string | undefined {
    const home = this.homes.get(bookingId);
    this.homes.delete(bookingId);
    return home?.resourceId;
  }

  private prune(now: number): void {
    for (const [id, home] of this.homes) if (home.end <= now - FORGET_AFTER_MS) this.homes.delete(id);
    this.pruneAt = Math.max(MIN_PRUNE_SIZE, this.homes.size * 2);
  }
}
