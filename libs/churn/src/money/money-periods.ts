import { isLocalDate, shiftDay } from '../model/local-days';

export const PERIOD_KINDS = ['day', 'week', 'month', 'year'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** A site-local period as calendar days: `start` inclusive, `end` exclusive. */
export interface LocalPeriod {
  kind: PeriodKind;
  start: string;
  end: string;
}

/** The day, ISO week (Monday to Sunday), calendar month or calendar year that contains a local date. */
export function periodContaining(kind: PeriodKind, date: string): LocalPeriod {
  if (!isLocalDate(date)) throw new RangeError(`not a date (YYYY-MM-DD): ${date}`);
  switch (kind) {
    case 'day':
      return { kind, start: date, end: shiftDay(date, 1) };
    case 'week': {
      const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
      const start = shiftDay(date, -weekday);
      return { kind, start, end: shiftDay(start, 7) };
    }
    case 'month': {
      const [year, month] = date.split('-').map(Number);
      const next = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
      return { kind, start: `${date.slice(0, 7)}-01`, end: next };
    }
    case 'year': {
      const year = Number(date.slice(0, 4));
      return { kind, start: `${year}-01-01`, end: `${year + 1}-01-01` };
    }
  }
}

/** The last day inside a period. */
export const lastDayOf = (period: LocalPeriod): string => shiftDay(period.end, -1);
