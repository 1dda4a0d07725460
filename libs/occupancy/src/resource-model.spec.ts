import {
  applyCounter,
  applyDoor,
  applyPresence,
  BookingMemory,
  DEFAULT_RULES,
  emptyModel,
  resetCounter,
  resolveState,
  upsertBooking,
} from './resource-model';

const MIN = 60_000;
const t0 = Date.parse('2026-03-10T10:00:00Z');
const booking = (over: Partial<BookingMemory> = {}): BookingMemory => ({
  id: 'b1',
  start: t0,
  end: t0 + 60 * MIN,
  status: 'confirmed',
  ...over,
});

describe('resolveState', () => {
  it('is free with no evidence and no booking', () => {
    expect(resolveState(emptyModel(), t0)).toMatchObject({ state: 'free', bookingId: null, occupancy: 0 });
  });

  it('is occupied while a presence reading is within its hold time, then free', () => {
    const m = emptyModel();
    applyPresence(m, 'pir', 1, t0);
    expect(resolveState(m, t0 + 9 * MIN).state).toBe('occupied');
    expect(resolveState(m, t0 + 9 * MIN).nextChangeAt).toBe(t0 + DEFAULT_RULES.holdMs);
    expect(resolveState(m, t0 + 10 * MIN).state).toBe('free');
  });

  it('rides over sensor flicker: a 0 right after a 1 waits for the debounce', () => {
    const m = emptyModel();
    applyPresence(m, 'pir', 1, t0);
    applyPresence(m, 'pir', 0, t0 + 5 * MIN);
    expect(resolveState(m, t0 + 5 * MIN + 30_000).state).toBe('occupied');
    applyPresence(m, 'pir', 1, t0 + 5 * MIN + 40_000);
    expect(resolveState(m, t0 + 6 * MIN).state).toBe('occupied');
    applyPresence(m, 'pir', 0, t0 + 7 * MIN);
    expect(resolveState(m, t0 + 8 * MIN + 1).state).toBe('free');
  });

  it('ignores a reading older than the one it holds (late or out-of-order delivery)', () => {
    const m = emptyModel();
    applyPresence(m, 'pir', 0, t0 + MIN);
    applyPresence(m, 'pir', 1, t0);
    expect(resolveState(m, t0 + 2 * MIN).state).toBe('free');
  });

  it('is occupied if any of several sensors says so', () => {
    const m = emptyModel();
    applyPresence(m, 'a', 1, t0);
    applyPresence(m, 'b', 0, t0);
    expect(resolveState(m, t0 + MIN).state).toBe('occupied');
  });

  it('counts people in and out and never goes below zero', () => {
    const m = emptyModel();
    applyCounter(m, 'people_in', 2, t0);
    expect(resolveState(m, t0)).toMatchObject({ state: 'occupied', occupancy: 2 });
    applyCounter(m, 'people_out', 5, t0 + MIN);
    expect(resolveState(m, t0 + MIN)).toMatchObject({ state: 'free', occupancy: 0 });
    applyCounter(m, 'people_in', 1, t0 + 2 * MIN);
    expect(resolveState(m, t0 + 2 * MIN).occupancy).toBe(1);
    applyCounter(m, 'count', 4, t0 + 3 * MIN);
    expect(resolveState(m, t0 + 3 * MIN).occupancy).toBe(4);
  });

  it('resets a people counter to 0 at site close and ignores counts from before the reset', () => {
    const m = emptyModel();
    applyCounter(m, 'people_in', 3, t0);
    applyCounter(m, 'people_out', 1, t0 + MIN);
    expect(resolveState(m, t0 + MIN)).toMatchObject({ state: 'occupied', occupancy: 2 });
    // Two people never counted out: at close the counter starts over instead of carrying them into tomorrow.
    expect(resetCounter(m, t0 + 10 * MIN)).toBe(true);
    expect(resolveState(m, t0 + 10 * MIN)).toMatchObject({ state: 'free', occupancy: 0 });
    // A late "out" from before the close arrives after it: it neither counts nor drives the counter negative.
    applyCounter(m, 'people_out', 2, t0 + 9 * MIN);
    applyCounter(m, 'people_in', 1, t0 + 5 * MIN);
    expect(resolveState(m, t0 + 11 * MIN).occupancy).toBe(0);
    applyCounter(m, 'people_in', 1, t0 + 12 * MIN);
    expect(resolveState(m, t0 + 12 * MIN)).toMatchObject({ state: 'occupied', occupancy: 1 });
    // The same close twice is one reset.
    expect(resetCounter(m, t0 + 10 * MIN)).toBe(false);
    expect(resolveState(m, t0 + 12 * MIN).occupancy).toBe(1);
  });

  it('leaves a resource without a counter without a count at close', () => {
    const m = emptyModel();
    applyPresence(m, 'pir', 1, t0);
    expect(resetCounter(m, t0 + MIN)).toBe(false);
    expect(resolveState(m, t0 + MIN)).toMatchObject({ state: 'occupied', occupancy: null });
  });

  it('treats a door event as presence in a small room for the door hold', () => {
    const m = emptyModel();
    applyDoor(m, t0);
    expect(resolveState(m, t0 + 14 * MIN).state).toBe('occupied');
    expect(resolveState(m, t0 + 15 * MIN).state).toBe('free');
  });

  it('follows a booking: free before, awaiting check-in from its start, free after its end', () => {
    const m = emptyModel();
    upsertBooking(m, booking());
    expect(resolveState(m, t0 - MIN)).toMatchObject({ state: 'free', nextChangeAt: t0 });
    expect(resolveState(m, t0)).toMatchObject({
      state: 'awaiting_checkin',
      bookingId: 'b1',
      nextChangeAt: t0 + 60 * MIN,
    });
    expect(resolveState(m, t0 + 60 * MIN).state).toBe('free');
  });

  it('goes from awaiting check-in straight to released: never booked between grace end and the decision', () => {
    const m = emptyModel();
    upsertBooking(m, booking());
    // Grace (15 min by default) is long over, the decision has not landed yet.
    expect(resolveState(m, t0 + 16 * MIN).state).toBe('awaiting_checkin');
    upsertBooking(m, booking({ status: 'released' }));
    expect(resolveState(m, t0 + 16 * MIN).state).toBe('released');
  });

  it('shows a booking checked in before grace ends as booked while the room is empty', () => {
    const m = emptyModel();
    upsertBooking(m, booking());
    expect(resolveState(m, t0 + 5 * MIN).state).toBe('awaiting_checkin');
    upsertBooking(m, booking({ status: 'checked_in' }));
    expect(resolveState(m, t0 + 5 * MIN).state).toBe('booked');
  });

  it('shows a checked-in empty room as booked, an occupied one as occupied with its booking', () => {
    const m = emptyModel();
    upsertBooking(m, booking({ status: 'checked_in' }));
    expect(resolveState(m, t0 + MIN)).toMatchObject({ state: 'booked', bookingId: 'b1' });
    applyPresence(m, 'pir', 1, t0 + MIN);
    expect(resolveState(m, t0 + 2 * MIN)).toMatchObject({ state: 'occupied', bookingId: 'b1' });
  });

  it('shows a released booking as released until its end, and ignores cancelled ones', () => {
    const m = emptyModel();
    upsertBooking(m, booking({ status: 'released' }));
    expect(resolveState(m, t0 + 20 * MIN).state).toBe('released');
    upsertBooking(m, booking({ status: 'cancelled' }));
    expect(resolveState(m, t0 + 20 * MIN).state).toBe('free');
  });

  it('shows a booking made on a released slot rather than the release', () => {
    const m = emptyModel();
    upsertBooking(m, booking({ status: 'released' }));
    upsertBooking(m, booking({ id: 'b2', start: t0 + 20 * MIN, end: t0 + 50 * MIN }));
    expect(resolveState(m, t0 + 19 * MIN)).toMatchObject({ state: 'released', bookingId: 'b1' });
    expect(resolveState(m, t0 + 20 * MIN)).toMatchObject({ state: 'awaiting_checkin', bookingId: 'b2' });
    upsertBooking(m, booking({ id: 'b2', start: t0 + 20 * MIN, end: t0 + 50 * MIN, status: 'released' }));
    expect(resolveState(m, t0 + 30 * MIN)).toMatchObject({ state: 'released', bookingId: 'b2' });
    expect(resolveState(m, t0 + 50 * MIN)).toMatchObject({ state: 'released', bookingId: 'b1' });
  });

  it('moves with a booking moved into or out of the current time', () => {
    const m = emptyModel();
    upsertBooking(m, booking({ start: t0 + 120 * MIN, end: t0 + 180 * MIN }));
    expect(resolveState(m, t0 + MIN).state).toBe('free');
    upsertBooking(m, booking());
    expect(resolveState(m, t0 + MIN).state).toBe('awaiting_checkin');
  });
});
