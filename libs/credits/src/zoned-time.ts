/** `YYYY-MM-DD`: a calendar date in a site's time zone. */
export type LocalDate = string;

export const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type WeekdayName = (typeof WEEKDAY_NAMES)[number];

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock reading of an instant in a zone, as the UTC milliseconds of that same reading. */
function wallMs(instant: Date, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
}

function offsetMs(instant: Date, timeZone: string): number {
  return wallMs(instant, timeZone) - Math.floor(instant.getTime() / 1000) * 1000;
}

export function localDate(instant: Date, timeZone: string): LocalDate {
  return new Date(wallMs(instant, timeZone)).toISOString().slice(0, 10);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function weekdayOf(date: LocalDate): WeekdayName {
  return WEEKDAY_NAMES[new Date(`${date}T00:00:00Z`).getUTCDay()];
}

/**
 * The instant a wall-clock time on a local date happens in a zone ('24:00' is the next midnight). A time skipped by a
 * spring-forward change resolves to the instant one offset later, as clocks in that zone show it.
 */
export function zonedInstant(date: LocalDate, hhmm: string, timeZone: string): Date {
  const [h, m] = hhmm.split(':').map(Number);
  const wall = Date.parse(`${date}T00:00:00Z`) + (h * 60 + m) * 60_000;
  const first = wall - offsetMs(new Date(wall), timeZone);
  const second = wall - offsetMs(new Date(first), timeZone);
  return new Date(second);
}

/** The credit period (calendar month in the site's zone) an instant falls in; `end` is exclusive. */
export function creditPeriodOf(instant: Date, timeZone: string): { start: LocalDate; end: LocalDate } {
  return monthOf(localDate(instant, timeZone));
}

export function monthOf(date: LocalDate): { start: LocalDate; end: LocalDate } {
  const [y, m] = date.split('-').map(Number);
  const start = new Date(Date.UTC(y, m - 1, 1)).toISOString().slice(0, 10);
  const end = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
  return { start, end };
}
