/**
 * Delay before the retry that follows failed attempt `failedAttempt` (1-based): `baseMs`, then twice that, and so on.
 * The same formula as BullMQ's built-in `exponential` backoff, so both adapters retry on the same schedule.
 */
export function exponentialBackoffMs(failedAttempt: number, baseMs: number): number {
  return Math.round(2 ** (Math.max(1, failedAttempt) - 1) * baseMs);
}
