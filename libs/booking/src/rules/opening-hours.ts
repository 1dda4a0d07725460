import { addDays, localDate, weekdayOf, zonedInstant } from '@cw/credits';

export interface OpeningSlot {
  day: 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
  open: string;
  close: string;
}

/**
 * Whether [start, end) lies inside the site's opening hours, read in its time zone (so a DST change moves the open
 * instants with the wall clock). Slots that touch, such as Monday to 24:00 and Tuesday from 00:00, count as one
 * stretch. A site that declares no hours is open at any time.
 */
export function withinOpeningHours(start: Date, end: Date, hours: OpeningSlot[], timeZone: string): boolean {
  if (hours.length === 0) return true;
  const first = addDays(localDate(start, timeZone), -1);
  const last = addDays(localDate(end, timeZone), 1);
  const open: { from: number; to: number }[] = [];
  for (let date = first; date <= last; date = addDays(date, 1)) {
    const day = weekdayOf(date);
    for (const slot of hours.filter((s) => s.day === day)) {
      open.push({
        from: zonedInstant(date, slot.open, timeZone).getTime(),
        to: zonedInstant(date, slot.close, timeZone).getTime(),
      });
    }
  }
  open.sort((a, b) => a.from - b.from);
  const merged: { from: number; to: number }[] = [];
  for (const span of open) {
    const tail = merged[merged.length - 1];
    if (tail && span.from <= tail.to) tail.to = Math.max(tail.to, span.to);
    else merged.push({ ...span });
  }
  return merged.some((m) => m.from <= start.getTime() && end.getTime() <= m.to);
}
