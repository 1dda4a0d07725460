import { utcOffsetMs } from '@cw/common';
import { LocalDate } from './membership.types';

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written `YYYY-MM-DD` (so `2026-02-30` is refused). */
export function isLocalDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function toUtcMs(date: LocalDate): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

function fromUtcMs(ms: number): LocalDate {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromUtcMs(toUtcMs(date) + days * DAY_MS);
}

export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);
}

/**
 * The same day of the month `months` later, or that month's last day when it is shorter: a term anchored on the 31st
 * runs to Feb 28 (29), then Mar 31, so a short month never shifts the anchor for good.
 */
export function addMonthsClamped(anchor: LocalDate, months: number): LocalDate {
  const [y, m, d] = anchor.split('-').map(Number);
  const monthIndex = y * 12 + (m - 1) + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return fromUtcMs(Date.UTC(year, month, Math.min(d, lastDay)));
}

export const maxDate = (a: LocalDate, b: LocalDate): LocalDate => (a >= b ? a : b);
export const minDate = (a: LocalDate, b: LocalDate): LocalDate => (a <= b ? a : b);

/** The calendar date an instant falls on in a zone. */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  const wall = instant.getTime() + utcOffsetMs(instant.getTime(), timeZone);
  return fromUtcMs(Math.floor(wall / DAY_MS) * DAY_MS);
}

/**
 * The instant a local date begins in a zone. Two passes, because the offset at the naive guess can differ from the
 * offset at the answer around a DST change; where midnight itself is skipped, the first instant of the day results.
 */
export function startOfLocalDate(date: LocalDate, timeZone: string): Date {
  const naive = toUtcMs(date);
  const first = naive - utcOffsetMs(naive, timeZone);
  const second = naive - utcOffsetMs(first, timeZone);
  return new Date(localDateOf(new Date(second), timeZone) === date ? second : first);
}
