import { addDays, dayNumber, weekdayOf } from './zoned';

export const PERIODS = ['day', 'week', 'month', 'year'] as const;
export type PeriodKind = (typeof PERIODS)[number];

/** Local dates [from, to], both inclusive. */
export interface LocalPeriod {
  kind: PeriodKind;
  from: string;
  to: string;
}

/** The day, ISO week (Monday first), calendar month or year holding `date`. */
export function periodOf(kind: PeriodKind, date: string): LocalPeriod {
  switch (kind) {
    case 'day':
      return { kind, from: date, to: date };
    case 'week': {
      const from = addDays(date, -weekdayOf(date));
      return { kind, from, to: addDays(from, 6) };
    }
    case 'month': {
      const from = `${date.slice(0, 7)}-01`;
      const d = new Date(dayNumber(from));
      const next = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
      return { kind, from, to: addDays(next, -1) };
    }
    case 'year':
      return { kind, from: `${date.slice(0, 4)}-01-01`, to: `${date.slice(0, 4)}-12-31` };
  }
}

/** Every local date of a period, in order. */
export function datesOf(period: Pick<LocalPeriod, 'from' | 'to'>): string[] {
  const out: string[] = [];
  for (let d = period.from; d <= period.to; d = addDays(d, 1)) out.push(d);
  return out;
}
