import { Rng, rngFor } from './random';
import { SimMember } from './roster';
import { OpenSpan, SiteModel } from './site-model';
import { Interval } from './day-plan';
import { dayWindow, weekdayOf, zonedInstant } from './zoned-time';

/** The fixed facts of one simulated day that every planning step reads. */
export interface DayContext {
  seed: number;
  date: string;
  model: SiteModel;
  roster: SimMember[];
  /** Null when the site is closed that day. */
  hours: OpenSpan | null;
  /** A weekday-length opening (lunch, afternoon arrivals) rather than a short Saturday morning. */
  fullDay: boolean;
  window: Interval;
  /** The instant of a local time of day, in minutes since midnight, rounded to the second as devices report. */
  at(minutes: number): number;
  /** A random stream for one planning step of this day. */
  rng(label: string): Rng;
}

const FULL_DAY_MINUTES = 9 * 60;

export function dayContext(seed: number, date: string, model: SiteModel, roster: SimMember[]): DayContext {
  const hours = model.hours[weekdayOf(date)] ?? null;
  return {
    seed,
    date,
    model,
    roster,
    hours,
    fullDay: hours !== null && hours.close - hours.open >= FULL_DAY_MINUTES,
    window: (({ start, end }) => ({ from: start, to: end }))(dayWindow(date, model.timeZone)),
    at: (minutes) => toSecond(zonedInstant(date, minutes, model.timeZone)),
    rng: (label) => rngFor(seed, `${date}:${label}`),
  };
}

export function toSecond(ms: number): number {
  return Math.round(ms / 1000) * 1000;
}
