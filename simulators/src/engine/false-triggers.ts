import { Interval, PresenceSpan } from '../day-plan';
import { HOUR_MS, MINUTE_MS } from '../zoned-time';
import { DayPlan } from './day-planner';
import { RawEvent, sensorRaw } from './raw-events';
import { toSecond } from './site-day';

/** Kept clear around real presence, so a false trigger is never confused with someone arriving or leaving. */
const MARGIN_MS = 2 * MINUTE_MS;
const LONGEST_TRIGGER_MS = 3 * MINUTE_MS;

/** The open hours of the day during which a resource stood empty. */
function emptyIntervals(open: Interval, occupied: readonly Interval[]): Interval[] {
  const empty: Interval[] = [];
  let from = open.from;
  for (const span of [...occupied].sort((a, b) => a.from - b.from)) {
    if (span.from - MARGIN_MS > from) empty.push({ from, to: Math.min(open.to, span.from - MARGIN_MS) });
    from = Math.max(from, span.to + MARGIN_MS);
    if (from >= open.to) break;
  }
  if (from < open.to) empty.push({ from, to: open.to });
  return empty.filter((i) => i.to > i.from);
}

/**
 * Spurious "occupied" reports from empty resources: a Poisson number per empty stretch, at the sensor's rate per
 * hour, each followed by "empty again" within three minutes. Returns the empty sensor-hours as the exposure.
 */
export function falseTriggers(plan: DayPlan, presence: readonly PresenceSpan[], out: RawEvent[]): number {
  const day = plan.day;
  if (!day.hours) return 0;
  const open = { from: day.at(day.hours.open), to: day.at(day.hours.close) };
  const occupied = new Map<string, Interval[]>();
  for (const span of presence) {
    const list = occupied.get(span.resource);
    if (list) list.push(span);
    else occupied.set(span.resource, [span]);
  }
  const rng = day.rng('false-triggers');
  let exposureMs = 0;
  for (const { sensor, resource } of day.rt.presenceSensors) {
    const rate = day.rt.devices.get(sensor)?.falseTriggersPerHour ?? 0;
    for (const stretch of emptyIntervals(open, occupied.get(resource) ?? [])) {
      exposureMs += stretch.to - stretch.from;
      if (rate <= 0) continue;
      const usable = stretch.to - stretch.from - LONGEST_TRIGGER_MS;
      if (usable <= 0) continue;
      const count = rng.poisson((rate * (stretch.to - stretch.from)) / HOUR_MS);
      for (let i = 0; i < count; i++) {
        const at = toSecond(stretch.from + rng.uniform(0, usable));
        const endAt = toSecond(at + rng.uniform(30_000, LONGEST_TRIGGER_MS));
        const end = sensorRaw(endAt, sensor, { kind: 'presence', value: 0 }, 'false_trigger');
        out.push(sensorRaw(at, sensor, { kind: 'presence', value: 1 }, 'false_trigger', end), end);
      }
    }
  }
  return exposureMs / HOUR_MS;
}
