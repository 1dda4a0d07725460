export interface NoShowPolicy {
  /** Evidence this long before the start already counts (people arrive early). */
  earlyMs: number;
  /** How long after the start the booking waits for evidence. */
  graceMs: number;
  ghostEnabled: boolean;
  /** A checked-in room empty this long gives back the rest of its booking (opt-in). */
  ghostAfterMs: number;
}

const MINUTE = 60_000;
export const DEFAULT_POLICY: NoShowPolicy = {
  earlyMs: 15 * MINUTE,
  graceMs: 15 * MINUTE,
  ghostEnabled: false,
  ghostAfterMs: 20 * MINUTE,
};

export interface BookingWindow {
  start: Date;
  end: Date;
}

/** [start - early, start + grace], never past the booking's end (a short booking has a short grace). */
export function checkInWindow(booking: BookingWindow, policy: NoShowPolicy): { from: Date; to: Date } {
  const graceEnd = Math.min(booking.start.getTime() + policy.graceMs, booking.end.getTime());
  return { from: new Date(booking.start.getTime() - policy.earlyMs), to: new Date(graceEnd) };
}

export type NoShowDecision =
  { kind: 'keep'; checkedInAt: Date } | { kind: 'release'; decidedAt: Date } | { kind: 'wait'; until: Date };

/**
 * Decided on event time: the same events give the same decision live, replayed or accelerated. `evidence` holds the
 * event times of explicit check-ins, presence in the resource and the booker's granted door events at its doors.
 */
export function decideNoShow(
  booking: BookingWindow,
  evidence: Date[],
  policy: NoShowPolicy,
  now: Date,
): NoShowDecision {
  const { from, to } = checkInWindow(booking, policy);
  const inWindow = evidence.filter((t) => t >= from && t <= to).sort((a, b) => a.getTime() - b.getTime());
  if (inWindow.length > 0) return { kind: 'keep', checkedInAt: inWindow[0] };
  if (now < to) return { kind: 'wait', until: to };
  return { kind: 'release', decidedAt: to };
}

export type GhostDecision =
  { kind: 'keep' } | { kind: 'release'; decidedAt: Date } | { kind: 'wait'; until: Date };

/**
 * Ghost release (opt-in): the room of a checked-in booking has been empty since `emptySince` (event time); once that
 * lasts `ghostAfterMs` the rest of the booking is given back, unless the booking ends first anyway.
 */
export function decideGhost(
  booking: BookingWindow,
  emptySince: Date | null,
  policy: NoShowPolicy,
  now: Date,
): GhostDecision {
  if (!policy.ghostEnabled || emptySince === null) return { kind: 'keep' };
  const due = new Date(emptySince.getTime() + policy.ghostAfterMs);
  if (due >= booking.end) return { kind: 'keep' };
  if (now < due) return { kind: 'wait', until: due };
  return { kind: 'release', decidedAt: due };
}
