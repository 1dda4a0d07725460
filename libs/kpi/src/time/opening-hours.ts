import { addDays, dayNumber, HOUR_MS, hourOfWeekOfLocal, offsetMs, weekdayOf, zonedInstant } from './zoned';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export interface OpeningSlot {
  day: Weekday;
  open: string;
  close: string;
}

/** A half-open span of instants [start, end), epoch milliseconds. */
export interface Interval {
  start: number;
  end: number;
}

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The open intervals of the local dates [from, to] (inclusive), in order. Opening hours are wall-clock times: a site
 * open 08:00-20:00 is open 12 real hours on the day clocks change too; one open round the clock (00:00-24:00) is
 * open 23 or 25 real hours that day.
 */
export function openIntervals(
  hours: readonly OpeningSlot[],
  timeZone: string,
  from: string,
  to: string,
): Interval[] {
  const out: Interval[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const day = WEEKDAYS[weekdayOf(date)];
    const slots = hours.filter((s) => s.day === day).sort((a, b) => a.open.localeCompare(b.open));
    for (const slot of slots) {
      const start = zonedInstant(date, minutesOf(slot.open), timeZone);
      const end = zonedInstant(date, minutesOf(slot.close), timeZone);
      if (end > start) out.push({ start, end });
    }
  }
  return out;
}

/** Opening hours from a local date on (null: since always) until the next version. */
export interface HoursVersion {
  validFrom: string | null;
  openingHours: readonly OpeningSlot[];
}

/**
 * The versions in force over the local dates [from, to], each with the dates it covers there, in order. Before the
 * first version's date (a history that starts later), the first version applies.
 */
export function versionsOver(
  history: readonly HoursVersion[],
  from: string,
  to: string,
): { hours: readonly OpeningSlot[]; from: string; to: string }[] {
  const sorted = [...history].sort((a, b) => (a.validFrom ?? '').localeCompare(b.validFrom ?? ''));
  const out: { hours: readonly OpeningSlot[]; from: string; to: string }[] = [];
  sorted.forEach((version, i) => {
    const next = sorted[i + 1]?.validFrom;
    const start =
      i === 0 || version.validFrom === null || version.validFrom < from ? from : version.validFrom;
    const end = next !== undefined && next !== null && addDays(next, -1) < to ? addDays(next, -1) : to;
    if (start <= end) out.push({ hours: version.openingHours, from: start, to: end });
  });
  return out;
}

/** `openIntervals` over a history of opening hours: each local date with the hours it had. */
export function openIntervalsOver(
  history: readonly HoursVersion[],
  timeZone: string,
  from: string,
  to: string,
): Interval[] {
  return versionsOver(history, from, to).flatMap((v) => openIntervals(v.hours, timeZone, v.from, v.to));
}

/** The parts of sorted, disjoint intervals that fall inside [from, to). */
export function clip(intervals: readonly Interval[], from: number, to: number): Interval[] {
  const out: Interval[] = [];
  for (const i of intervals) {
    const start = Math.max(i.start, from);
    const end = Math.min(i.end, to);
    if (end > start) out.push({ start, end });
  }
  return out;
}

export const totalMs = (intervals: readonly Interval[]): number =>
  intervals.reduce((sum, i) => sum + (i.end - i.start), 0);

/**
 * Open seconds per local hour of the week (168 slots, Monday 00:00 first) over the given intervals. The offset is
 * read at both ends of each interval; inside an interval that spans a clock change it is read hour by hour.
 */
export function openSecondsByHourOfWeek(intervals: readonly Interval[], timeZone: string): number[] {
  const out = new Array<number>(168).fill(0);
  for (const interval of intervals) {
    const steady = offsetMs(interval.start, timeZone) === offsetMs(interval.end - 1, timeZone);
    let offset = offsetMs(interval.start, timeZone);
    for (let t = interval.start; t < interval.end;) {
      if (!steady) offset = offsetMs(t, timeZone);
      const local = t + offset;
      const nextLocalHour = Math.floor(local / HOUR_MS) * HOUR_MS + HOUR_MS;
      const next = Math.min(interval.end, nextLocalHour - offset);
      out[hourOfWeekOfLocal(local)] += (next - t) / 1000;
      t = next;
    }
  }
  return out;
}

/** Whether any day of the week has an opening. */
export const hasOpeningHours = (hours: readonly OpeningSlot[]): boolean => hours.length > 0;

/** A stable key of what the slices were computed with: a change re-derives them. */
export function hoursKey(hours: readonly OpeningSlot[], timeZone: string): string {
  const slots = [...hours]
    .map((s) => `${s.day}${s.open}-${s.close}`)
    .sort()
    .join(',');
  return `${timeZone}|${slots}`;
}

export { dayNumber };
