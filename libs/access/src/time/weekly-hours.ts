import { z } from 'zod';
import { addDays, datesBetween, localDate, weekdayOf, Weekday, WEEKDAYS, zonedInstant } from './zoned-time';

/** One weekly slot in the site's zone, as sites store opening hours and plans store access hours. */
export interface WeeklySlot {
  day: Weekday;
  open: string;
  close: string;
}

/** A half-open interval of instants, ms since the epoch. */
export interface Window {
  from: number;
  to: number;
}

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/);
const slotSchema = z.object({ day: z.enum(WEEKDAYS), open: hhmm, close: hhmm });

/**
 * Slots read from a jsonb column written by another module: well-formed entries are kept, anything else is dropped,
 * so one bad entry narrows the hours rather than opening every door or failing every decision.
 */
export function parseSlots(value: unknown): WeeklySlot[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    const parsed = slotSchema.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}

const minutesOf = (hhmmValue: string) => Number(hhmmValue.slice(0, 2)) * 60 + Number(hhmmValue.slice(3, 5));

/**
 * The concrete windows of weekly slots between `from` and `to` (clipped), merged where one ends as the next begins.
 * A slot closing before it opens runs past midnight into the next day (22:00-06:00); one closing as it opens is
 * empty. No slots at all: no restriction, the whole interval.
 */
export function expandSlots(slots: WeeklySlot[], timeZone: string, from: number, to: number): Window[] {
  if (to <= from) return [];
  if (slots.length === 0) return [{ from, to }];
  const raw: Window[] = [];
  // From the day before: a slot running past midnight may still be open at `from`.
  for (const date of datesBetween(addDays(localDate(from, timeZone), -1), localDate(to, timeZone))) {
    const weekday = weekdayOf(date);
    for (const slot of slots) {
      if (slot.day !== weekday) continue;
      const open = minutesOf(slot.open);
      const close = minutesOf(slot.close);
      if (open === close) continue;
      const start = zonedInstant(date, open, timeZone);
      const end =
        close > open ? zonedInstant(date, close, timeZone) : zonedInstant(addDays(date, 1), close, timeZone);
      raw.push({ from: start, to: end });
    }
  }
  return clip(merge(raw), from, to);
}

export function merge(windows: Window[]): Window[] {
  const sorted = [...windows].sort((a, b) => a.from - b.from || a.to - b.to);
  const out: Window[] = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w.from <= last.to) last.to = Math.max(last.to, w.to);
    else out.push({ ...w });
  }
  return out;
}

export function clip(windows: Window[], from: number, to: number): Window[] {
  return windows
    .map((w) => ({ from: Math.max(w.from, from), to: Math.min(w.to, to) }))
    .filter((w) => w.to > w.from);
}

/** How far ahead a decision looks for the end of the window it grants in (a 24/7 plan never ends otherwise). */
export const LOOKAHEAD_MS = 2 * 86_400_000;

/** The window holding `at`, looked for from a day before to two days after; undefined when `at` is outside. */
export function windowAt(slots: WeeklySlot[], timeZone: string, at: number): Window | undefined {
  return expandSlots(slots, timeZone, at - 86_400_000, at + LOOKAHEAD_MS).find(
    (w) => w.from <= at && at < w.to,
  );
}
