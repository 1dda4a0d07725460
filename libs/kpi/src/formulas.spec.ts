import { computeKpis, emptyInputs, heatmap, KpiInputs } from './formulas';

const inputs = (over: Partial<KpiInputs>): KpiInputs => ({ ...emptyInputs(), ...over });
const ctx = { hasOpeningHours: true, noSensors: false };

describe('KPI formulas', () => {
  it('divides occupied, booked and used minutes by their denominators', () => {
    const k = computeKpis(
      inputs({
        openMinutes: 600,
        sensedOpenMinutes: 600,
        occupiedMinutes: 150,
        bookedMinutes: 240,
        sensedBookedMinutes: 240,
        usedMinutes: 180,
        bookingsStarted: 8,
        noShows: 2,
      }),
      ctx,
    );
    expect(k.utilisation).toEqual({ value: 0.25 });
    expect(k.bookingRate).toEqual({ value: 0.4 });
    expect(k.bookedVsUsed).toEqual({ value: 0.75 });
    expect(k.noShowRate).toEqual({ value: 0.25 });
  });

  it('answers null with a reason rather than a number when a denominator is zero', () => {
    const closedDay = computeKpis(inputs({}), ctx);
    expect(closedDay.utilisation).toEqual({ value: null, reason: 'closed' });
    expect(closedDay.bookingRate).toEqual({ value: null, reason: 'closed' });
    expect(closedDay.bookedVsUsed).toEqual({ value: null, reason: 'no_bookings' });
    expect(closedDay.noShowRate).toEqual({ value: null, reason: 'no_bookings_started' });
    const noHours = computeKpis(inputs({}), { hasOpeningHours: false, noSensors: false });
    expect(noHours.utilisation.reason).toBe('no_opening_hours');
  });

  it('never reports a resource without sensors as empty', () => {
    const k = computeKpis(inputs({ openMinutes: 600, bookedMinutes: 60 }), { ...ctx, noSensors: true });
    expect(k.utilisation).toEqual({ value: null, reason: 'no_presence_sensor' });
    expect(k.bookedVsUsed).toEqual({ value: null, reason: 'no_presence_sensor' });
    expect(k.bookingRate).toEqual({ value: 0.1 });
  });

  it('builds a heatmap with null where the site is never open', () => {
    const occupied = new Array<number>(168).fill(0);
    const open = new Array<number>(168).fill(0);
    occupied[9] = 1800;
    open[9] = 3600;
    const map = heatmap(occupied, open, 2);
    expect(map[9]).toBe(0.25);
    expect(map[10]).toBeNull();
    expect(heatmap(occupied, open, 0)[9]).toBeNull();
  });
});
