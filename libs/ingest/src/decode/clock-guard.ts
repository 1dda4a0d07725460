export interface ClockLimits {
  /** Device clocks may run this far ahead before the time is clamped to the receive time. */
  maxFutureSkewMs: number;
  /** Older events are refused: past this they would fall outside every retention and report window. */
  maxAgeMs: number;
}

/** A device a year ahead has a broken clock or sends seconds as milliseconds: that is an error, not skew. */
const IMPLAUSIBLE_FUTURE_MS = 366 * 24 * 3600 * 1000;

export type StampResult =
  { ok: true; ts: Date; deviceTs: Date; clockSkewMs: number | null } | { ok: false; reason: string };

/**
 * Device time is used as event time unless the device clock is ahead of ours by more than the allowed skew; then
 * the receive time stands in and the skew is recorded, so the event is kept and the fault stays visible.
 */
export function stampEventTime(deviceIso: string, receivedAt: Date, limits: ClockLimits): StampResult {
  const deviceTs = new Date(deviceIso);
  const ahead = deviceTs.getTime() - receivedAt.getTime();
  if (ahead > IMPLAUSIBLE_FUTURE_MS)
    return { ok: false, reason: 'timestamp is more than a year in the future' };
  if (-ahead > limits.maxAgeMs) {
    return { ok: false, reason: `timestamp is older than ${Math.round(limits.maxAgeMs / 86_400_000)} days` };
  }
  if (ahead > limits.maxFutureSkewMs) return { ok: true, ts: receivedAt, deviceTs, clockSkewMs: ahead };
  return { ok: true, ts: deviceTs, deviceTs, clockSkewMs: null };
}
