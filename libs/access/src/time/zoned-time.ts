/**
 * Site-local calendar arithmetic with nothing but `Intl`: access hours are wall-clock hours in the site's IANA zone
 * ("08:00-20:00" means 08:00 on the wall in Madrid, in winter and in summer alike), and day passes count local days.
 */
import { utcOffsetMs, wallTimeToInstant } from '@cw/common';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const FROM_SUNDAY: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
export const DAY_MS = 86_400_000;
const offsets = new Map<string, number>();
const MAX_CACHED_OFFSETS = 50_000;

/**
 * Local wall time minus UTC at that instant, in ms (Madrid in winter: +3,600,000). Remembered per zone and minute:
 * `formatToParts` costs tens of microseconds and a decision asks for a dozen offsets, mostly the same ones (the day's
 * opening and closing instants); zones change offset on whole minutes.
 */
export function offsetMs(instant: number, timeZone: string): number {
  const minute = Math.floor(instant / 60_000);
  const key = `${timeZone}|${minute}`;
  const known = offsets.get(key);
  if (known !== undefined) return known;
  const atMinute = minute * 60_000;
  const offset = utcOffsetMs(atMinute, timeZone);
  if (offsets.size >= MAX_CACHED_OFFSETS) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

/** `YYYY-MM-DD` of a UTC-midnight millisecond value. */
const isoDate = (dayMs: number) => new Date(dayMs).toISOString().slice(0, 10);
const dayMsOf = (date: string) => Date.parse(`${date}T00:00:00Z`);

export interface LocalMoment {
  /** Local calendar date, `YYYY-MM-DD`. */
  date: string;
  weekday: Weekday;
  /** Minutes since local midnight, with the seconds as a fraction. */
  minute: number;
}

export function localMoment(instant: number, timeZone: string): LocalMoment {
  const wall = instant + offsetMs(instant, timeZone);
  const dayMs = wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS);
  return { date: isoDate(dayMs), weekday: weekdayOf(isoDate(dayMs)), minute: (wall - dayMs) / 60_000 };
}

export const localDate = (instant: number, timeZone: string): string => localMoment(instant, timeZone).date;

export const weekdayOf = (date: string): Weekday => FROM_SUNDAY[new Date(dayMsOf(date)).getUTCDay()];

export const addDays = (date: string, days: number): string => isoDate(dayMsOf(date) + days * DAY_MS);

/**
 * The instant the local clock shows `minutes` past midnight of `date` (1440: the next midnight). Two passes settle
 * the offset on the days it changes; a wall time skipped by a spring-forward gap lands as many minutes later as the
 * gap is long, and one repeated by a fall-back lands on its second occurrence.
 */
export function zonedInstant(date: string, minutes: number, timeZone: string): number {
  return wallTimeToInstant(dayMsOf(date) + minutes * 60_000, timeZone, offsetMs);
}

/** Local midnight starting `date`. */
export const startOfLocalDay = (date: string, timeZone: string): number => zonedInstant(date, 0, timeZone);

/** Every local date from `from` to `to`, both included. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) out.push(day);
  return out;
}
