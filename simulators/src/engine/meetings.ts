import { Interval, isFree, overlaps, PresenceSpan } from '../day-plan';
import { Rng } from '../random';
import { SimRoom } from '../site-model';
import { HOUR_MS, MINUTE_MS } from '../zoned-time';
import { ScenarioMemberDay } from './attendance';
import { Member } from './population';
import { SiteDay, toSecond } from './site-day';

export type MeetingOutcome = 'attended' | 'no_show' | 'ghost' | 'cancelled';

export interface Meeting {
  id: string;
  room: SimRoom;
  member: Member;
  start: number;
  end: number;
  createdAt: number;
  cancelledAt: number | null;
  outcome: MeetingOutcome;
  /** When the booker really got there (door or first step inside); null when nobody came. */
  arrivedAt: number | null;
  /** Ghost meetings: when the room emptied, well before the end. */
  emptiedAt: number | null;
  /** An explicit check-in through the booking system. */
  checkInAt: number | null;
}

export interface Swipe {
  door: string;
  member: Member;
  at: number;
}

export interface MeetingPlan {
  meetings: Meeting[];
  presence: PresenceSpan[];
  swipes: Swipe[];
}

const SLOT_MS = 30 * MINUTE_MS;
/** A no-show rate is a fact about people; a 30-minute slot is a fact about booking systems. */
const ceilToSlot = (ms: number): number => Math.ceil(ms / SLOT_MS) * SLOT_MS;

function leadTimeMs(rng: Rng, day: SiteDay): number {
  const { minHours, maxHours } = day.rt.config.behaviour.bookings.leadTime;
  // log-uniform: many bookings made shortly before, a few days ahead; a minute at least
  const lo = Math.log(Math.max(minHours, 1 / 60));
  const hi = Math.log(Math.max(maxHours, minHours, 1 / 60));
  return Math.exp(rng.uniform(lo, hi)) * HOUR_MS;
}

function freeRoom(
  rng: Rng,
  day: SiteDay,
  booked: Map<string, Interval[]>,
  from: number,
  to: number,
): SimRoom | null {
  const gap = day.rt.config.behaviour.bookings.gapMinutes * MINUTE_MS;
  const rooms = day.rt.rooms;
  const meetingRooms = rooms.filter((r) => r.kind === 'meeting_room');
  const others = rooms.filter((r) => r.kind !== 'meeting_room');
  // event spaces only when every meeting room is taken: nobody books the auditorium for a one-to-one
  for (const room of [...rng.shuffle(meetingRooms), ...rng.shuffle(others)]) {
    if (!overlaps(booked.get(room.id) ?? [], from, to, gap)) return room;
  }
  return null;
}

/** The booker walks in near the start, through the door if there is one, and stays to the end or (ghost) not. */
function attend(rng: Rng, meeting: Meeting, md: ScenarioMemberDay, plan: MeetingPlan, checkIn: number): void {
  const { room, start, end } = meeting;
  const doorAt = toSecond(start + Math.min(10, Math.max(-10, rng.normal(-2, 4))) * MINUTE_MS);
  const useDoor = room.door !== null && (room.sensor === null || rng.chance(0.85));
  const inRoom = toSecond(doorAt + rng.uniform(20_000, 60_000));
  const lengthMin = (end - start) / MINUTE_MS;
  const leftAt =
    meeting.outcome === 'ghost'
      ? Math.max(
          inRoom + 2 * MINUTE_MS,
          toSecond(start + rng.uniform(5, Math.max(10, lengthMin / 2)) * MINUTE_MS),
        )
      : toSecond(end - rng.uniform(0, 8) * MINUTE_MS);
  meeting.arrivedAt = useDoor ? doorAt : inRoom;
  if (meeting.outcome === 'ghost') meeting.emptiedAt = leftAt;
  if (rng.chance(checkIn))
    meeting.checkInAt = Math.min(leftAt - 1000, toSecond(inRoom + rng.uniform(0, 120_000)));
  md.excursions.push({ from: doorAt - MINUTE_MS, to: leftAt + MINUTE_MS });
  if (useDoor && room.door) plan.swipes.push({ door: room.door, member: md.member, at: doorAt });
  plan.presence.push({
    resource: room.id,
    sensor: room.sensor,
    member: md.member.id,
    from: inRoom,
    to: leftAt,
  });
}

function outcomeOf(rng: Rng, day: SiteDay): MeetingOutcome {
  const { cancel, noShow, ghost } = day.rt.config.behaviour.bookings;
  if (rng.chance(cancel)) return 'cancelled';
  const u = rng.next();
  return u < noShow ? 'no_show' : u < noShow + ghost ? 'ghost' : 'attended';
}

/**
 * Members in the building book rooms for themselves: a Poisson number of meetings each, on half-hour slots
 * inside their stay, in a room free for the meeting plus a gap on both sides.
 */
export function planMeetings(day: SiteDay, days: ScenarioMemberDay[]): MeetingPlan {
  const plan: MeetingPlan = { meetings: [], presence: [], swipes: [] };
  const config = day.rt.config.behaviour.bookings;
  if (day.rt.rooms.length === 0 || day.rt.lengths.empty) return plan;
  const rng = day.rng('meetings');
  const booked = new Map<string, Interval[]>();
  const idPrefix = `bk-${day.rt.id}-${day.rt.seed}-${day.date.replaceAll('-', '')}-`;
  for (const md of days) {
    const wanted = rng.poisson(config.propensity * md.member.bookingFactor);
    for (let k = 0; k < wanted; k++) {
      const length = day.rt.lengths.pick(rng) * MINUTE_MS;
      const stay = rng.pick(md.visits);
      const first = ceilToSlot(stay.settle + 15 * MINUTE_MS);
      const slots = Math.floor((stay.leave - 10 * MINUTE_MS - length - first) / SLOT_MS);
      if (slots < 0) continue;
      const start = first + rng.int(0, slots) * SLOT_MS;
      const end = start + length;
      if (!isFree(md, start - 12 * MINUTE_MS, end + 2 * MINUTE_MS)) continue;
      const room = freeRoom(rng, day, booked, start, end);
      if (!room) continue;
      booked.set(room.id, [...(booked.get(room.id) ?? []), { from: start, to: end }]);
      const createdAt = toSecond(start - leadTimeMs(rng, day));
      const outcome = outcomeOf(rng, day);
      const lo = createdAt + MINUTE_MS;
      const hi = start - 5 * MINUTE_MS;
      const meeting: Meeting = {
        id: `${idPrefix}${plan.meetings.length + 1}`,
        room,
        member: md.member,
        start,
        end,
        createdAt,
        cancelledAt:
          outcome === 'cancelled' ? toSecond(hi > lo ? rng.uniform(lo, hi) : (createdAt + start) / 2) : null,
        outcome,
        arrivedAt: null,
        emptiedAt: null,
        checkInAt: null,
      };
      plan.meetings.push(meeting);
      if (outcome === 'attended' || outcome === 'ghost') attend(rng, meeting, md, plan, config.checkIn);
    }
  }
  return plan;
}
