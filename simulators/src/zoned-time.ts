/**
 * Wall-clock arithmetic in a site's IANA time zone with nothing but `Intl`, so the simulated office keeps
 * local hours across daylight-saving changes whatever the host's TZ is.
 */

import { utcOffsetMs, wallTimeToInstant } from '@cw/common';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

interface LocalFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localFields(instantMs: number, timeZone: string): LocalFields {
  const wall = new Date(instantMs + utcOffsetMs(instantMs, timeZone));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  };
}

function parseDate(date: string): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new Error(`expected a date as YYYY-MM-DD, got ${date}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** The local calendar date (YYYY-MM-DD) of an instant. */
export function localDate(instant: Date | number, timeZone: string): string {
  const f = localFields(+instant, timeZone);
  return `${f.year}-${String(f.month).padStart(2, '0')}-${String(f.day).padStart(2, '0')}`;
}

/** Minutes since local midnight, with fractions. */
export function localMinutes(instant: Date | number, timeZone: string): number {
  const ms = +instant;
  const f = localFields(ms, timeZone);
  return f.hour * 60 + f.minute + (f.second * 1000 + (ms - Math.floor(ms / 1000) * 1000)) / MINUTE_MS;
}

export function weekdayOf(date: string): Weekday {
  const [y, m, d] = parseDate(date);
  return WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = parseDate(date);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * The instant at which the local clock shows `minutes` past midnight on `date`. Two passes settle the offset
 * even on the day it changes; a time skipped by a spring-forward lands an hour later, which office hours never hit.
 */
export function zonedInstant(date: string, minutes: number, timeZone: string): number {
  const [y, m, d] = parseDate(date);
  return wallTimeToInstant(Date.UTC(y, m - 1, d) + Math.round(minutes * MINUTE_MS), timeZone);
}

/** [local midnight, next local midnight): 23 or 25 hours long on the days the clocks change. */
export function dayWindow(date: string, timeZone: string): { start: number; end: number } {
  return { start: zonedInstant(date, 0, timeZone), end: zonedInstant(addDays(date, 1), 0, timeZone) };
}
