import { localDateAt } from '@cw/common';
/** Calendar dates as 'YYYY-MM-DD' strings: billing reasons in the site's local days, never in instants. */
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function parseLocalDate(value: string): number {
  const match = DATE.exec(value);
  if (!match) throw new RangeError(`not a date (YYYY-MM-DD): ${value}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) {
    throw new RangeError(`no such date: ${value}`);
  }
  return ms / DAY_MS;
}

export function formatDayNumber(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return formatDayNumber(parseLocalDate(date) + days);
}

export function daysBetween(start: string, end: string): number {
  return parseLocalDate(end) - parseLocalDate(start);
}

/** 'YYYY-MM' -> the month as a half-open range of local dates. */
export function monthPeriod(period: string): { start: string; end: string } {
  const match = /^(\d{4})-(\d{2})$/.exec(period);
  const month = match ? Number(match[2]) : 0;
  if (!match || month < 1 || month > 12) throw new RangeError(`not a month (YYYY-MM): ${period}`);
  const year = Number(match[1]);
  const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
  return { start: `${period}-01`, end: `${next}-01` };
}

/** The calendar date an instant falls on in an IANA zone. */
export function localDate(instant: Date, timeZone: string): string {
  return localDateAt(instant.getTime(), timeZone);
}
