import { Scenario } from '../scenario/scenario-loader';
import { addDays, localDate, zonedInstant } from '../zoned-time';
import { RunMode } from './scenario-args';

export interface RunPlanInput {
  mode: RunMode;
  start: string | null;
  days: number | null;
  months: number | null;
}

export interface RunPlan {
  /** First local date generated. */
  start: string;
  /** Infinity: until stopped. */
  days: number;
  /** live: the simulated instant that plays first. */
  simStart: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Load runs replay history from this far back, so their timestamps never reach the platform's future. */
export const LOAD_HISTORY_DAYS = 400;

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The same day of the month `months` later (or earlier), clamped to the month's last day. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, last)))
    .toISOString()
    .slice(0, 10);
}

/**
 * Dates of a run, in the first site's time zone. Backfill and load start at --start, else the scenario's `start`,
 * else far enough back to end yesterday (load: 400 days of history); live starts now (or at --start) and runs
 * until stopped unless given a length.
 */
export function planRun(input: RunPlanInput, scenario: Scenario, now: Date): RunPlan {
  const timeZone = scenario.sites[0].document.timeZone;
  const today = localDate(now, timeZone);
  const startDate =
    input.start === null
      ? null
      : DATE.test(input.start)
        ? input.start
        : localDate(new Date(input.start), timeZone);
  const lengthFrom = (start: string): number | null =>
    input.months !== null ? daysBetween(start, addMonths(start, input.months)) : input.days;
  if (input.mode === 'live') {
    const simStart =
      input.start === null
        ? now.getTime()
        : DATE.test(input.start)
          ? zonedInstant(input.start, 0, timeZone)
          : Date.parse(input.start);
    const start = localDate(simStart, timeZone);
    return { start, days: lengthFrom(start) ?? Infinity, simStart };
  }
  // the scenario's first day, when it names one, is the default start of every mode but live
  const startOr = (fallback: string): string => startDate ?? scenario.start ?? fallback;
  if (input.mode === 'load') {
    const start = startOr(addDays(today, -LOAD_HISTORY_DAYS));
    return {
      start,
      days: lengthFrom(start) ?? Math.max(1, daysBetween(start, today)),
      simStart: zonedInstant(start, 0, timeZone),
    };
  }
  if (input.months !== null) {
    const start = startOr(addMonths(today, -input.months));
    return {
      start,
      days: daysBetween(start, addMonths(start, input.months)),
      simStart: zonedInstant(start, 0, timeZone),
    };
  }
  const days = input.days ?? scenario.days ?? 7;
  const start = startOr(addDays(today, -days));
  return { start, days, simStart: zonedInstant(start, 0, timeZone) };
}
