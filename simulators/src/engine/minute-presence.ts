import { hashSeed } from '../random';
import { MINUTE_MS } from '../zoned-time';
import { siteDay } from './site-day';
import { SiteRuntime } from './site-runtime';
import { PresenceRecord } from './truth-records';

/** One presence sensor's readings of one day: one every `everyMinutes` from `start`; `values[k]` is '1' or '0'. */
export interface MinuteSeries {
  sensor: string;
  resource: string;
  /** Epoch ms of the first reading. */
  start: number;
  everyMinutes: number;
  /** One character per reading, in time order. */
  values: string;
}

const ONE = 49;
const ZERO = 48;

/** The second of the minute a sensor reports at: fixed per sensor, so a floor's readings are not all stamped alike. */
export const reportSecond = (sensor: string): number => hashSeed(sensor) % 60;

/**
 * Presence sensors that report every minute, occupied or not, while the site is open: each reading says whether the
 * ground truth has someone in the resource at that instant. The scenario stream's own presence events are a PIR's
 * 5-minute "still occupied" reports; this is the denser sensor of a benchmark at one reading per sensor per minute,
 * read off the same truth. A day the site is closed has no readings.
 *
 * `presence` is the truth of this site-day (other sites' records are ignored); spans never cross midnight.
 * `everyMinutes` spaces the readings further apart (one every 15 minutes, say) for smaller runs.
 */
export function minutePresence(
  rt: SiteRuntime,
  date: string,
  presence: readonly PresenceRecord[],
  everyMinutes = 1,
): MinuteSeries[] {
  if (!Number.isInteger(everyMinutes) || everyMinutes < 1)
    throw new Error(`everyMinutes must be a whole number of at least 1, got ${everyMinutes}`);
  const step = everyMinutes * MINUTE_MS;
  const day = siteDay(rt, date);
  if (!day.hours) return [];
  const open = day.at(day.hours.open);
  const close = day.at(day.hours.close);
  const spans = new Map<string, [number, number][]>();
  for (const p of presence) {
    if (p.site !== rt.id) continue;
    const list = spans.get(p.resource) ?? [];
    list.push([Date.parse(p.from), Date.parse(p.to)]);
    spans.set(p.resource, list);
  }
  return rt.presenceSensors.map(({ sensor, resource }) => {
    const start = open + reportSecond(sensor) * 1000;
    const count = Math.max(0, Math.ceil((close - start) / step));
    const values = new Uint8Array(count).fill(ZERO);
    // reading k, at start + k steps, is '1' when a span [from, to) holds it
    for (const [from, to] of spans.get(resource) ?? []) {
      const first = Math.max(0, Math.ceil((from - start) / step));
      const last = Math.min(count, Math.ceil((to - start) / step));
      values.fill(ONE, first, Math.max(first, last));
    }
    return { sensor, resource, start, everyMinutes, values: Buffer.from(values).toString('latin1') };
  });
}
