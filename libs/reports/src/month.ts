/** Calendar months as `YYYY-MM` strings, in a site's local calendar. Pure; no time zone arithmetic beyond Intl. */

export const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(text: string): boolean {
  return MONTH_PATTERN.test(text);
}

function parts(month: string): { year: number; month: number } {
  const match = MONTH_PATTERN.exec(month);
  if (!match) throw new RangeError(`not a month (YYYY-MM): ${JSON.stringify(month)}`);
  return { year: Number(match[1]), month: Number(match[2]) };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function addMonths(month: string, delta: number): string {
  const { year, month: m } = parts(month);
  const index = year * 12 + (m - 1) + delta;
  return `${pad(Math.floor(index / 12), 4)}-${pad((index % 12) + 1)}`;
}

export const previousMonth = (month: string) => addMonths(month, -1);

/** The months ending with `month`, oldest first. */
export function monthsEndingWith(month: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addMonths(month, i - count + 1));
}

/** Every local day of the month, `YYYY-MM-DD`. */
export function daysOfMonth(month: string): string[] {
  const { year, month: m } = parts(month);
  const days = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return Array.from({ length: days }, (_, i) => `${month}-${pad(i + 1)}`);
}

export const firstDayOf = (month: string) => `${month}-01`;

/** The local calendar day of an instant in an IANA zone, `YYYY-MM-DD`. */
export function localDay(instant: Date, timeZone: string): string {
  const fields = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => fields.find((f) => f.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export const localMonth = (instant: Date, timeZone: string) => localDay(instant, timeZone).slice(0, 7);

/** Human label, e.g. "March 2025". */
export function monthLabel(month: string): string {
  const { year, month: m } = parts(month);
  return new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, m - 1, 1)),
  );
}
