import { Interval } from '../time/opening-hours';

/** Compression and retention move whole chunks: once a day is plenty. */
export const POLICIES_EVERY_MS = 24 * 3_600_000;
/** A site that never closes would postpone them for ever; after this long they run whatever the hour. */
export const POLICIES_AT_LATEST_MS = 36 * 3_600_000;

/**
 * Whether the embedded build should run the compression and retention policies now. Each one holds the single
 * database worker for seconds on a large chunk, so they wait for an hour when every site is closed and no live
 * traffic is expected. Never run: counted from `since` (the process start), so a fresh database waits too.
 */
export function policiesDue(
  lastRunAt: number | null,
  now: number,
  anySiteOpen: boolean,
  since: number,
): boolean {
  const elapsed = now - (lastRunAt ?? since - POLICIES_EVERY_MS);
  if (elapsed >= POLICIES_AT_LATEST_MS) return true;
  return elapsed >= POLICIES_EVERY_MS && !anySiteOpen;
}

/** Whether `now` falls inside one of the open intervals; a site without opening hours counts as open. */
export function isOpenAt(open: readonly Interval[], hasHours: boolean, now: number): boolean {
  if (!hasHours) return true;
  return open.some((i) => i.start <= now && now < i.end);
}
