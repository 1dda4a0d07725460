/**
 * The KPI formulas of DESIGN.md ("Rules the engines follow"), as pure functions. A KPI that cannot be computed is
 * null with the reason, never a made-up number: a zero denominator is not a zero rate.
 */

export type NullReason =
  | 'period_in_future'
  | 'no_opening_hours'
  | 'closed'
  | 'no_presence_sensor'
  | 'no_bookings'
  | 'no_bookings_started'
  | 'no_people_counter'
  | 'presence_cannot_count';

export interface Kpi {
  value: number | null;
  reason?: NullReason;
}

export const known = (value: number): Kpi => ({ value });
export const unknown = (reason: NullReason): Kpi => ({ value: null, reason });

/** Totals a KPI is computed from, in minutes (and counts), for one resource or summed over a group. */
export interface KpiInputs {
  openMinutes: number;
  /** Open minutes of the resources that have presence evidence (a sensor, or a door for small rooms). */
  sensedOpenMinutes: number;
  occupiedMinutes: number;
  bookedMinutes: number;
  /** Occupied minutes inside bookings, of sensed resources. */
  usedMinutes: number;
  /** Booked minutes of sensed resources: the denominator of booked-vs-used. */
  sensedBookedMinutes: number;
  bookingsStarted: number;
  noShows: number;
}

export interface KpiSet {
  utilisation: Kpi;
  bookingRate: Kpi;
  bookedVsUsed: Kpi;
  noShowRate: Kpi;
  totals: KpiInputs;
}

const round = (x: number, digits = 4): number => Math.round(x * 10 ** digits) / 10 ** digits;

function ratio(numerator: number, denominator: number): number {
  return round(numerator / denominator);
}

/**
 * utilisation = occupied minutes / open minutes; booking rate = booked minutes / open minutes; booked-vs-used =
 * occupied minutes inside bookings / booked minutes; no-show rate = releases for no-show / bookings whose start has
 * passed. `noSensors` says the group has no resource with presence evidence at all.
 */
export function computeKpis(t: KpiInputs, context: { hasOpeningHours: boolean; noSensors: boolean }): KpiSet {
  const closed: Kpi = unknown(context.hasOpeningHours ? 'closed' : 'no_opening_hours');
  const utilisation =
    t.openMinutes <= 0
      ? closed
      : context.noSensors || t.sensedOpenMinutes <= 0
        ? unknown('no_presence_sensor')
        : known(ratio(t.occupiedMinutes, t.sensedOpenMinutes));
  const bookingRate = t.openMinutes <= 0 ? closed : known(ratio(t.bookedMinutes, t.openMinutes));
  const bookedVsUsed = context.noSensors
    ? unknown('no_presence_sensor')
    : t.sensedBookedMinutes <= 0
      ? unknown('no_bookings')
      : known(ratio(t.usedMinutes, t.sensedBookedMinutes));
  const noShowRate =
    t.bookingsStarted <= 0 ? unknown('no_bookings_started') : known(ratio(t.noShows, t.bookingsStarted));
  return { utilisation, bookingRate, bookedVsUsed, noShowRate, totals: t };
}

export function emptyInputs(): KpiInputs {
  return {
    openMinutes: 0,
    sensedOpenMinutes: 0,
    occupiedMinutes: 0,
    bookedMinutes: 0,
    usedMinutes: 0,
    sensedBookedMinutes: 0,
    bookingsStarted: 0,
    noShows: 0,
  };
}

export function addInputs(into: KpiInputs, more: KpiInputs): KpiInputs {
  for (const key of Object.keys(into) as (keyof KpiInputs)[]) into[key] += more[key];
  return into;
}

/** Per hour of week: occupied seconds over open seconds of the sensed resources; null where never open. */
export function heatmap(
  occupiedSeconds: readonly number[],
  openSeconds: readonly number[],
  resources: number,
) {
  return occupiedSeconds.map((occupied, how) =>
    openSeconds[how] > 0 && resources > 0 ? round(occupied / (openSeconds[how] * resources)) : null,
  );
}
