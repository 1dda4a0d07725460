const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * Local wall time minus UTC at an instant, in ms (Madrid in winter: +3,600,000), with nothing but `Intl`: the one
 * primitive every site-local calendar in the platform (opening hours, credit months, access hours, KPI days) is
 * built on. Whole seconds: the wall clock shows no milliseconds.
 */
export function utcOffsetMs(instant: number, timeZone: string): number {
  const f: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instant)))
    if (part.type !== 'literal') f[part.type] = Number(part.value);
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - Math.floor(instant / 1000) * 1000;
}

/** The calendar date (YYYY-MM-DD) the zone's clock shows at an instant. */
export function localDateAt(instant: number, timeZone: string): string {
  return new Date(instant + utcOffsetMs(instant, timeZone)).toISOString().slice(0, 10);
}

/**
 * The instant a zone's clock shows a wall time, given as UTC-shifted milliseconds (`Date.UTC` of the local fields).
 * Two passes settle the offset on the days it changes: a wall time skipped by a spring-forward gap lands as many
 * minutes later as the gap is long, and one the autumn change shows twice takes its second occurrence. `offset` lets a
 * caller that asks often bring its own cached `utcOffsetMs`.
 */
export function wallTimeToInstant(
  wallMs: number,
  timeZone: string,
  offset: (instant: number, timeZone: string) => number = utcOffsetMs,
): number {
  const first = wallMs - offset(wallMs, timeZone);
  return wallMs - offset(first, timeZone);
}
