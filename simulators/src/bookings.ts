import { DayContext, toSecond } from './day-context';
import { DoorSwipe, isFree, MemberDay, PlannedBooking, PresenceSpan } from './day-plan';
import { Rng } from './random';
import { SimMember } from './roster';
import { SimRoom } from './site-model';
import { BookingOutcome } from './truth';
import { HOUR_MS, MINUTE_MS } from './zoned-time';

export interface BookingBehaviour {
  /** Share of (not cancelled) bookings nobody turns up to. */
  noShowRate: number;
  /** Share of bookings cancelled before they start. */
  cancelRate: number;
}

export interface BookingPlan {
  bookings: PlannedBooking[];
  presence: PresenceSpan[];
  swipes: DoorSwipe[];
}

const SLOT_MINUTES = 30;
const LENGTHS = [30, 60, 60, 90, 120] as const;
/**
 * Bookings in a room are at least one slot apart, so a meeting's presence never runs into the next booking's
 * check-in window: a no-show then has no evidence at all and the ground truth stays unambiguous.
 */
const MIN_GAP_SLOTS = 1;
const MAX_GAP_SLOTS = 3;

function startChance(ctx: DayContext, room: SimRoom): number {
  const base = room.kind === 'event_space' ? 0.05 : 0.35;
  return ctx.fullDay ? base : base * 0.35;
}

interface Slot {
  room: SimRoom;
  start: number;
  end: number;
}

/** The booker walks in near the start, through the door if there is one (most close it behind them). */
function attend(rng: Rng, slot: Slot, booker: MemberDay, plan: BookingPlan): number {
  const { room, start, end } = slot;
  const doorAt = toSecond(start + Math.min(10, Math.max(-10, rng.normal(-2, 4))) * MINUTE_MS);
  const useDoor = room.door !== null && (room.sensor === null || rng.chance(0.85));
  const inRoom = toSecond(doorAt + rng.uniform(20_000, 60_000));
  const leftAt = toSecond(end - rng.uniform(0, 8) * MINUTE_MS);
  booker.excursions.push({ from: doorAt - MINUTE_MS, to: leftAt + MINUTE_MS });
  if (useDoor && room.door) plan.swipes.push({ door: room.door, member: booker.member, at: doorAt });
  plan.presence.push({
    resource: room.id,
    sensor: room.sensor,
    member: booker.member.id,
    from: inRoom,
    to: leftAt,
  });
  return useDoor ? doorAt : inRoom;
}

function book(
  ctx: DayContext,
  rng: Rng,
  slot: Slot,
  days: MemberDay[],
  behaviour: BookingBehaviour,
  plan: BookingPlan,
): boolean {
  const { start, end } = slot;
  const cancelled = rng.chance(behaviour.cancelRate);
  // the booker must be in the building and free from the walk over to the end of the meeting
  const candidates = days.filter((d) => isFree(d, start - 12 * MINUTE_MS, end + 2 * MINUTE_MS));
  if (!cancelled && candidates.length === 0) return false;
  const noShow = !cancelled && rng.chance(behaviour.noShowRate);
  const absentee = (): SimMember =>
    candidates.length > 0 && rng.chance(0.5) ? rng.pick(candidates).member : rng.pick(ctx.roster);
  const booker = cancelled || noShow ? null : rng.pick(candidates);
  const member = booker ? booker.member : absentee();

  const createdAt = toSecond(Math.max(ctx.window.from + MINUTE_MS, start - rng.uniform(0.5, 12) * HOUR_MS));
  const cancelledAt = cancelled
    ? toSecond(rng.uniform(createdAt + 5 * MINUTE_MS, start - 10 * MINUTE_MS))
    : null;
  const outcome: BookingOutcome = cancelled ? 'cancelled' : noShow ? 'no_show' : 'attended';
  const evidenceAt = booker ? attend(rng, slot, booker, plan) : null;
  const id = `bk-${ctx.seed}-${ctx.date.replaceAll('-', '')}-${plan.bookings.length + 1}`;
  plan.bookings.push({
    id,
    room: slot.room,
    member,
    start,
    end,
    createdAt,
    cancelledAt,
    outcome,
    evidenceAt,
  });
  return true;
}

/** Meeting-room bookings on 30-minute boundaries, 30 to 120 minutes long, and who attends them. */
export function planBookings(ctx: DayContext, days: MemberDay[], behaviour: BookingBehaviour): BookingPlan {
  const plan: BookingPlan = { bookings: [], presence: [], swipes: [] };
  const hours = ctx.hours;
  if (!hours || ctx.roster.length === 0) return plan;
  const rng = ctx.rng('bookings');
  const firstSlot = Math.ceil(hours.open / SLOT_MINUTES) * SLOT_MINUTES;
  for (const room of ctx.model.rooms) {
    let t = firstSlot;
    while (t + SLOT_MINUTES <= hours.close) {
      if (!rng.chance(startChance(ctx, room))) {
        t += SLOT_MINUTES;
        continue;
      }
      const fits = Math.floor((hours.close - t) / SLOT_MINUTES) * SLOT_MINUTES;
      const length = Math.min(rng.pick(LENGTHS), fits);
      const slot = { room, start: ctx.at(t), end: ctx.at(t + length) };
      t += book(ctx, rng, slot, days, behaviour, plan)
        ? length + SLOT_MINUTES * rng.int(MIN_GAP_SLOTS, MAX_GAP_SLOTS)
        : SLOT_MINUTES;
    }
  }
  return plan;
}
