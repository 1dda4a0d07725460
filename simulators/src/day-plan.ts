import { SimMember } from './roster';
import { SimDesk, SimRoom } from './site-model';
import { BookingOutcome } from './truth';
import { MINUTE_MS } from './zoned-time';

/** All times are epoch milliseconds. */
export interface Interval {
  from: number;
  to: number;
}

/** One stay in the building: through the entrance at `enter`, at the desk over [settle, leave), out at `exit`. */
export interface Visit {
  enter: number;
  settle: number;
  leave: number;
  exit: number;
}

export interface MemberDay {
  member: SimMember;
  visits: Visit[];
  desk: SimDesk | null;
  /** Time away from the desk inside the building (meetings, calls); never overlapping. */
  excursions: Interval[];
}

/** Someone really in a resource; `sensor` is the device that reports it, if any. */
export interface PresenceSpan extends Interval {
  resource: string;
  sensor: string | null;
  member: string | null;
}

export interface DoorSwipe {
  door: string;
  member: SimMember;
  at: number;
}

export interface PlannedBooking {
  id: string;
  room: SimRoom;
  member: SimMember;
  start: number;
  end: number;
  createdAt: number;
  cancelledAt: number | null;
  outcome: BookingOutcome;
  evidenceAt: number | null;
}

/** Everything that happens on one simulated day, before it is turned into device events. */
export interface DayPlan {
  date: string;
  window: Interval;
  members: MemberDay[];
  presence: PresenceSpan[];
  roomSwipes: DoorSwipe[];
  bookings: PlannedBooking[];
}

/** Settling in at the desk and packing up are not the moments to leave for a meeting or a call. */
const DESK_MARGIN_MS = 5 * MINUTE_MS;
const EXCURSION_GAP_MS = 2 * MINUTE_MS;

/** Whether the member is at their desk (or in the lounge) and free over the whole interval. */
export function isFree(day: Pick<MemberDay, 'visits' | 'excursions'>, from: number, to: number): boolean {
  const inside = day.visits.some((v) => from >= v.settle + DESK_MARGIN_MS && to <= v.leave - DESK_MARGIN_MS);
  return (
    inside && day.excursions.every((e) => to + EXCURSION_GAP_MS <= e.from || from >= e.to + EXCURSION_GAP_MS)
  );
}

export function overlaps(spans: readonly Interval[], from: number, to: number, gap = 0): boolean {
  return spans.some((s) => from < s.to + gap && to + gap > s.from);
}

/** The desk's presence: the visits minus the excursions. */
export function deskSpans(day: Pick<MemberDay, 'visits' | 'excursions'>): Interval[] {
  const spans: Interval[] = [];
  const away = [...day.excursions].sort((a, b) => a.from - b.from);
  for (const visit of day.visits) {
    let from = visit.settle;
    for (const e of away) {
      if (e.to <= from || e.from >= visit.leave) continue;
      if (e.from > from) spans.push({ from, to: e.from });
      from = Math.max(from, e.to);
    }
    if (from < visit.leave) spans.push({ from, to: visit.leave });
  }
  return spans;
}
