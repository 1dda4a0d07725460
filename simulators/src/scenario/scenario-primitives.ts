import { z } from 'zod';
import { WEEKDAYS } from '@cw/sites';

/** Field types shared by the scenario schemas; each carries the message a bad value gets. */
export const rate = z.number().finite().min(0, 'must not be negative');
export const probability = rate.max(1, 'must be at most 1');
export const minutes = z.number().finite().positive('must be positive');
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
export const instant = z.string().datetime({ offset: true, message: 'ISO 8601 with an offset' });

/** `8`, `08` or `08:00`: YAML turns an unquoted `08` into the number 8, which becomes the key "8". */
export const HOUR_KEY = /^([01]?\d|2[0-3])(:00)?$/;
export const hourOfKey = (key: string): number => Number(key.split(':')[0]);

export const hourWeights = z
  .record(z.string().regex(HOUR_KEY, 'an hour of the day: 0 to 23, or HH:00'), rate)
  .refine((weights) => Object.values(weights).some((w) => w > 0), 'needs at least one positive weight');

export const DAY_KEYS = ['default', ...WEEKDAYS] as const;
export type DayKey = (typeof DAY_KEYS)[number];
/** Weights per local hour, per weekday; `default` covers the open days without their own entry. */
export const weightsByDay = z.record(z.enum(DAY_KEYS), hourWeights);
