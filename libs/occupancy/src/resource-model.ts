import { ResourceStateName } from '@cw/events';

export interface SensorMemory {
  value: number;
  ts: number;
  /** The value before the last one: a 1 -> 0 drop is debounced against sensor flicker. */
  previous: number | null;
}

export interface BookingMemory {
  id: string;
  start: number;
  end: number;
  status: 'confirmed' | 'checked_in' | 'cancelled' | 'released' | 'ended';
}

/** What the engine remembers of one resource: the evidence and bookings its state is derived from. */
export interface ResourceModel {
  presence: Map<string, SensorMemory>;
  /** People counted in the resource by its own counter; never negative. */
  count: number | null;
  countTs: number;
  /** When the counter was last reset (site close): a count from before it no longer says anyone is there. */
  countResetAt: number;
  /** A granted door event keeps a small room occupied until then (rooms without presence sensors). */
  doorUntil: number;
  bookings: BookingMemory[];
}

export interface OccupancyRules {
  /** A presence sensor's 1 counts this long (PIR sensors re-report while people stay). */
  holdMs: number;
  /** A 0 right after a 1 waits this long before the room counts as empty: one missed detection is not a departure. */
  debounceMs: number;
  /** How long a door event alone keeps a small room occupied. */
  doorHoldMs: number;
}

export const DEFAULT_RULES: OccupancyRules = {
  holdMs: 10 * 60_000,
  debounceMs: 60_000,
  doorHoldMs: 15 * 60_000,
};

export function emptyModel(): ResourceModel {
  return { presence: new Map(), count: null, countTs: 0, countResetAt: 0, doorUntil: 0, bookings: [] };
}

export interface Resolved {
  state: ResourceStateName;
  occupancy: number | null;
  bookingId: string | null;
  /** When the state could next change with no new event (a hold expiring, a booking starting...). */
  nextChangeAt: number | null;
}

function sensorPresent(s: SensorMemory, now: number, rules: OccupancyRules): boolean {
  if (s.value >= 1) return now - s.ts < rules.holdMs;
  return s.previous !== null && s.previous >= 1 && now - s.ts < rules.debounceMs;
}

/**
 * Occupied when evidence says so; otherwise what the booking covering now says: released, awaiting check-in while
 * confirmed, booked once checked in; otherwise free. A confirmed booking stays awaiting check-in past its grace end
 * until the no-show decision lands (released or checked in): showing it booked in between would be a state nobody
 * decided. Pure: the same model and time always give the same state.
 */
export function resolveState(
  model: ResourceModel,
  now: number,
  rules: OccupancyRules = DEFAULT_RULES,
): Resolved {
  const upcoming: number[] = [];
  let sensorsSay = false;
  for (const s of model.presence.values()) {
    if (sensorPresent(s, now, rules)) sensorsSay = true;
    if (s.value >= 1) upcoming.push(s.ts + rules.holdMs);
    else if (s.previous !== null && s.previous >= 1) upcoming.push(s.ts + rules.debounceMs);
  }
  const counted = model.count !== null && model.count > 0;
  const doorSays = model.doorUntil > now;
  upcoming.push(model.doorUntil);
  const present = sensorsSay || counted || doorSays;

  const live = model.bookings.filter((b) => b.status !== 'cancelled' && b.status !== 'ended');
  for (const b of live) upcoming.push(b.start, b.end);
  // A released slot may be booked again: the new booking, not the release, says what the resource is now; of
  // several released ones, the latest.
  const current = live.filter((b) => b.start <= now && now < b.end);
  const covering = current.find((b) => b.status !== 'released') ?? current[current.length - 1] ?? null;

  const occupancy = model.count !== null ? model.count : present ? null : 0;
  const nextChangeAt = upcoming.filter((t) => t > now).sort((a, b) => a - b)[0] ?? null;
  const bookingId = covering?.id ?? null;
  if (present) return { state: 'occupied', occupancy, bookingId, nextChangeAt };
  if (!covering) return { state: 'free', occupancy, bookingId, nextChangeAt };
  if (covering.status === 'released') return { state: 'released', occupancy, bookingId, nextChangeAt };
  if (covering.status === 'confirmed')
    return { state: 'awaiting_checkin', occupancy, bookingId, nextChangeAt };
  return { state: 'booked', occupancy, bookingId, nextChangeAt };
}

/** Applies one presence reading; an older reading than the one held (late or out of order) does not move state. */
export function applyPresence(model: ResourceModel, sensorId: string, value: number, ts: number): void {
  const held = model.presence.get(sensorId);
  if (held && held.ts > ts) return;
  model.presence.set(sensorId, { value, ts, previous: held ? held.value : null });
}

/** People counters: increments in and out, or an absolute count; the count never goes below zero. */
export function applyCounter(
  model: ResourceModel,
  kind: 'people_in' | 'people_out' | 'count',
  value: number,
  ts: number,
): void {
  if (ts < model.countResetAt) return;
  const current = model.count ?? 0;
  if (kind === 'count') model.count = Math.max(0, value);
  else if (kind === 'people_in') model.count = current + value;
  else model.count = Math.max(0, current - value);
  model.countTs = Math.max(model.countTs, ts);
}

/**
 * At site close a counter-based occupancy goes back to 0: counters drift (a missed "out" leaves a phantom person),
 * and the next day must not start from yesterday's error. Readings from before the reset that arrive late are ignored.
 */
export function resetCounter(model: ResourceModel, at: number): boolean {
  if (at <= model.countResetAt) return false;
  model.countResetAt = at;
  if (model.count === null) return false;
  model.count = 0;
  model.countTs = at;
  return true;
}

export function applyDoor(model: ResourceModel, ts: number, rules: OccupancyRules = DEFAULT_RULES): void {
  model.doorUntil = Math.max(model.doorUntil, ts + rules.doorHoldMs);
}

export function upsertBooking(model: ResourceModel, booking: BookingMemory): void {
  model.bookings = [...model.bookings.filter((b) => b.id !== booking.id), booking].sort(
    (a, b) => a.start - b.start,
  );
}

export function removeBooking(model: ResourceModel, bookingId: string): void {
  model.bookings = model.bookings.filter((b) => b.id !== bookingId);
}

/** Bookings that ended long ago no longer influence anything. */
export function forgetPast(model: ResourceModel, now: number): void {
  model.bookings = model.bookings.filter((b) => b.end > now - 60_000);
}
