const DAY_MS = 86_400_000;
const pad = (width: number, count: number): string[] =>
  Array.from({ length: count }, (_, i) => String(i).padStart(width, '0'));
const TWO = pad(2, 60);
const THREE = pad(3, 1000);

let cachedDay = NaN;
let cachedPrefix = '';

/**
 * `new Date(ms).toISOString()` for whole milliseconds, several times faster: the date part is cached per UTC day.
 * Every event carries one or two of these, which made `toISOString` a tenth of the generation time.
 */
export function isoTime(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  let rest = Math.floor(ms) - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${cachedPrefix}${TWO[hours]}:${TWO[minutes]}:${TWO[seconds]}.${THREE[rest - seconds * 1000]}Z`;
}
