const WEEKDAY_INDEX: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
const HOUR_MS = 3_600_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Hour of week in the site's zone, Monday 00:00 = 0 (the key the KPI aggregates use). */
export function localHourOfWeek(at: Date, timeZone: string): number {
  const parts = formatter(timeZone).formatToParts(at);
  const weekday = parts.find((p) => p.type === 'weekday')?.value ?? 'Mon';
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  return (WEEKDAY_INDEX[weekday] ?? 0) * 24 + hour;
}

export interface HourSlice {
  start: Date;
  end: Date;
  minutes: number;
  hourOfWeek: number;
}

/**
 * A booking cut at every UTC hour boundary. Every zone in use is offset by whole hours or half hours from UTC;
 * cutting at UTC hours keeps whole-hour zones exact and, for half-hour zones, prices each half at its local hour.
 */
export function hourSlices(start: Date, end: Date, timeZone: string): HourSlice[] {
  const slices: HourSlice[] = [];
  let from = start.getTime();
  const to = end.getTime();
  while (from < to) {
    let next = Math.min(to, Math.floor(from / HOUR_MS) * HOUR_MS + HOUR_MS);
    // half-hour zones: a local hour boundary may fall mid UTC hour; cut there too
    const mid = Math.floor(from / HOUR_MS) * HOUR_MS + HOUR_MS / 2;
    if (
      mid > from &&
      mid < next &&
      localHourOfWeek(new Date(mid), timeZone) !== localHourOfWeek(new Date(from), timeZone)
    )
      next = mid;
    slices.push({
      start: new Date(from),
      end: new Date(next),
      minutes: (next - from) / 60_000,
      hourOfWeek: localHourOfWeek(new Date(from), timeZone),
    });
    from = next;
  }
  return slices;
}
