/**
 * Site-local calendar arithmetic with nothing but `Intl`: KPIs are per local day, and a local day is 23, 24 or 25
 * hours long. Dates are 'YYYY-MM-DD' strings; instants are epoch milliseconds.
 */
import { utcOffsetMs, wallTimeToInstant } from '@cw/common';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Local wall time minus UTC at that instant (Madrid in winter: +3,600,000). */
export const offsetMs = utcOffsetMs;

/** A date string as the UTC midnight of that calendar day, for date arithmetic. */
export const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`);
export const dateOf = (dayMs: number): string => new Date(dayMs).toISOString().slice(0, 10);
export const addDays = (date: string, days: number): string => dateOf(dayNumber(date) + days * DAY_MS);

/** The local calendar date holding `instant`. */
export function localDate(instant: number, timeZone: string): string {
  return dateOf(instant + offsetMs(instant, timeZone));
}

/**
 * The instant the local clock shows `minutes` past midnight of `date` (1440: the next midnight). Two passes settle
 * the offset on the days it changes; a wall time skipped by a spring-forward gap lands as many minutes later as the
 * gap is long, and one the autumn change shows twice takes its second occurrence.
 */
export function zonedInstant(date: string, minutes: number, timeZone: string): number {
  return wallTimeToInstant(dayNumber(date) + minutes * MINUTE_MS, timeZone);
}

/** Monday 00:00 = 0 ... Sunday 23:00 = 167, of a local wall time given as UTC-shifted milliseconds. */
export function hourOfWeekOfLocal(localMs: number): number {
  const day = Math.floor(localMs / DAY_MS);
  const weekday = (((day + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  const hour = Math.floor((localMs - day * DAY_MS) / HOUR_MS);
  return weekday * 24 + hour;
}

/** 0 = Monday ... 6 = Sunday. */
export function weekdayOf(date: string): number {
  const day = Math.floor(dayNumber(date) / DAY_MS);
  return (((day + 3) % 7) + 7) % 7;
}
