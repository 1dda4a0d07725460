/**
 * Closing times of a site, from its weekly opening hours in its IANA zone, with nothing but `Intl`: the local clock
 * decides ("closes at 20:00" means 20:00 on the wall in Madrid, in winter and in summer alike).
 */
import { utcOffsetMs } from '@cw/common';

export interface WeeklySlot {
  day: 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
  open: string;
  close: string;
}

const DAY_MS = 86_400_000;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const offsetMs = utcOffsetMs;

/** Local calendar day (as a UTC midnight, ms) holding `instant`. */
function localDay(instant: number, timeZone: string): number {
  const local = instant + offsetMs(instant, timeZone);
  return local - (((local % DAY_MS) + DAY_MS) % DAY_MS);
}

/**
 * The instant the local clock shows `minutes` past midnight of `day`. Two passes settle the offset on the days it
 * changes; a wall time skipped by a spring-forward gap lands as many minutes later as the gap is long.
 */
function zonedInstant(day: number, minutes: number, timeZone: string): number {
  const naive = day + minutes * 60_000;
  const first = naive - offsetMs(naive, timeZone);
  const second = naive - offsetMs(first, timeZone);
  // In a gap the second pass lands before the change, under the old offset: the later reading is the one meant.
  return offsetMs(second, timeZone) === offsetMs(first, timeZone) ? second : Math.max(first, second);
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Closing instants falling in (after, until], in order. A slot that closes at 24:00 closes at the next local
 * midnight; a close immediately followed by the next slot's opening (a day split at midnight, 20:00 | 20:00) is not
 * a close, since the site never shuts.
 */
export function closingTimes(slots: WeeklySlot[], timeZone: string, after: number, until: number): number[] {
  if (slots.length === 0 || until <= after) return [];
  const out: number[] = [];
  // One local day before, to catch a late close of the previous day; local days are stepped by calendar date.
  for (let day = localDay(after, timeZone) - DAY_MS; day <= localDay(until, timeZone); day += DAY_MS) {
    const weekday = WEEKDAYS[new Date(day).getUTCDay()];
    for (const slot of slots) {
      if (slot.day !== weekday) continue;
      const closeMinutes = minutesOf(slot.close);
      if (reopensAtOnce(slots, weekday, closeMinutes)) continue;
      const at = zonedInstant(day, closeMinutes, timeZone);
      if (at > after && at <= until) out.push(at);
    }
  }
  return [...new Set(out)].sort((a, b) => a - b);
}

/** The first closing instant after `after`, looking at most two weeks ahead; null for a site with no hours. */
export function nextClosingTime(slots: WeeklySlot[], timeZone: string, after: number): number | null {
  return closingTimes(slots, timeZone, after, after + 15 * DAY_MS)[0] ?? null;
}

/** The last closing instant at or before `at`, looking at most two weeks back. */
export function lastClosingTime(slots: WeeklySlot[], timeZone: string, at: number): number | null {
  const times = closingTimes(slots, timeZone, at - 15 * DAY_MS, at);
  return times[times.length - 1] ?? null;
}

function reopensAtOnce(slots: WeeklySlot[], weekday: string, closeMinutes: number): boolean {
  if (closeMinutes === 24 * 60) {
    const next = WEEKDAYS[(WEEKDAYS.indexOf(weekday as (typeof WEEKDAYS)[number]) + 1) % 7];
    return slots.some((s) => s.day === next && minutesOf(s.open) === 0);
  }
  return slots.some((s) => s.day === weekday && minutesOf(s.open) === closeMinutes);
}
