import { utcOffsetMs } from '@cw/common';

/** `YYYY-MM-DD`: a calendar date in a site's time zone. */
export type LocalDate = string;

export const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type WeekdayName = (typeof WEEKDAY_NAMES)[number];

const DAY_MS = 86_400_000;

/** The wall-clock reading of an instant in a zone, as the UTC milliseconds of that same reading (whole seconds). */
function wallMs(instant: Date, timeZone: string): number {
  return Math.floor(instant.getTime() / 1000) * 1000 + utcOffsetMs(instant.getTime(), timeZone);
}

function offsetMs(instant: Date, timeZone: string): number {
  return utcOffsetMs(instant.getTime(), timeZone);
}

export function localDate(instant: Date, timeZone: string): LocalDate {
  return new Date(wallMs(instant, timeZone)).toISOString().slice(0, 10);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function weekdayOf(date: LocalDate): WeekdayName {
  return WEEKDAY_NAMES[new Date(`${date}T00:00:00Z`).getUTCDay()];
}

/**
 * The instant a wall-clock time on a local date happens in a zone ('24:00' is the next midnight). A time skipped by a
 * spring-forward change resolves to the instant one offset later, as clocks in that zone show it.
 */
export function zonedInstant(date: LocalDate, hhmm: string, timeZone: string): Date {
  const [h, m] = hhmm.split(':').map(Number);
  const wall = Date.parse(`${date}T00:00:00Z`) + (h * 60 + m) * 60_000;
  const first = wall - offsetMs(new Date(wall), timeZone);
  const second = wall - offsetMs(new Date(first), timeZone);
  return new Date(second);
}

/** The credit period (calendar month in the site's zone) an instant falls in; `end` is exclusive. */
export function creditPeriodOf(instant: Date, timeZone: string): { start: LocalDate; end: LocalDate } {
  return monthOf(localDate(instant, timeZone));
}

export function monthOf(date: LocalDate): { start: LocalDate; end: LocalDate } {
  const [y, m] = date.split('-').map(Number);
  const start = new Date(Date.UTC(y, m - 1, 1)).toISOString().slice(0, 10);
  const end = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
  return { start, end };
}
