import { z } from 'zod';
import { idSchema, RESOURCE_KINDS } from '@cw/sites';
import { PERIODS } from '../time/period';

const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine((d) => {
    const parsed = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === d;
  }, 'not a calendar date');

export const kpiQuerySchema = z
  .object({
    period: z.enum(PERIODS),
    date: localDate,
    /** Comma-separated resource ids whose own heatmaps to add. */
    resources: z
      .string()
      .optional()
      .transform((v) => (v ? v.split(',').filter(Boolean) : undefined))
      .pipe(z.array(idSchema).max(50, 'at most 50 resources').optional()),
  })
  .strict();
export type KpiQueryInput = z.infer<typeof kpiQuerySchema>;

export const forecastQuerySchema = z
  .object({
    resource: idSchema.optional(),
    kind: z.enum(RESOURCE_KINDS).optional(),
    weeks: z.coerce.number().int().min(1).max(52).default(8),
  })
  .strict()
  .refine((q) => (q.resource === undefined) !== (q.kind === undefined), {
    message: 'give exactly one of resource or kind',
    path: ['resource'],
  });

export const refreshBodySchema = z
  .object({ from: localDate, to: localDate })
  .strict()
  .refine((b) => b.from <= b.to, { message: 'must not be before from', path: ['to'] })
  .refine((b) => Date.parse(b.to) - Date.parse(b.from) <= 800 * 86_400_000, {
    message: 'at most 800 days at once',
    path: ['to'],
  });

export const retentionBodySchema = z.object({ personalDataDays: z.number().int().min(1).max(3650) }).strict();
