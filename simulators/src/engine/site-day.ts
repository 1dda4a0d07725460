import { Interval } from '../day-plan';
import { Rng, rngFor } from '../random';
import { OpenSpan } from '../site-model';
import { dayWindow, MINUTE_MS, Weekday, weekdayOf, zonedInstant } from '../zoned-time';
import { SiteRuntime } from './site-runtime';

/** One site on one local date: the facts every planning step reads. */
export interface SiteDay {
  rt: SiteRuntime;
  date: string;
  weekday: Weekday;
  /** Null when the site is closed that day. */
  hours: OpenSpan | null;
  /** Local midnight to the next local midnight. */
  window: Interval;
  /** The instant of a local time of day (minutes since midnight), rounded to the second as devices report. */
  at(minutes: number): number;
  rng(label: string): Rng;
}

export const toSecond = (ms: number): number => Math.round(ms / 1000) * 1000;

/**
 * `zonedInstant` costs two Intl calls; a day has thousands of times to place. The offset at noon holds for every
 * time after the early-morning clock change, so only a site opening before it falls back to the exact path.
 */
function localClock(date: string, timeZone: string, hours: OpenSpan | null): (minutes: number) => number {
  const noon = zonedInstant(date, 720, timeZone);
  const exact = (minutes: number): number => zonedInstant(date, minutes, timeZone);
  if (hours && zonedInstant(date, hours.open, timeZone) !== noon + (hours.open - 720) * MINUTE_MS)
    return exact;
  return (minutes) => noon + (minutes - 720) * MINUTE_MS;
}

export function siteDay(rt: SiteRuntime, date: string): SiteDay {
  const weekday = weekdayOf(date);
  const hours = rt.model.hours[weekday] ?? null;
  const { start, end } = dayWindow(date, rt.timeZone);
  const clock = localClock(date, rt.timeZone, hours);
  return {
    rt,
    date,
    weekday,
    hours,
    window: { from: start, to: end },
    at: (minutes) => toSecond(clock(minutes)),
    rng: (label) => rngFor(rt.seed, `${rt.id}:${date}:${label}`),
  };
}
