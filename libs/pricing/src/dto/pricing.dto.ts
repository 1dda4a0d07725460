import { z } from 'zod';

const id = z.string().regex(/^[a-zA-Z0-9_.:-]{1,64}$/);
const instant = z
  .string()
  .datetime({ offset: true })
  .transform((s) => new Date(s));

export const quoteRequestSchema = z
  .object({
    resource: id,
    start: instant,
    end: instant,
    member: id.optional(),
  })
  .strict();
export type QuoteRequestDto = z.infer<typeof quoteRequestSchema>;

export const pricingRuleSchema = z
  .object({
    targetUtilisation: z.number().min(0).max(1).default(0.5),
    sensitivity: z.number().min(0).max(10).default(1),
    minMultiplier: z.number().positive().max(10).default(0.8),
    maxMultiplier: z.number().positive().max(10).default(1.5),
    floorPerHourMinor: z.number().int().min(0).nullable().default(null),
    ceilingPerHourMinor: z.number().int().min(0).nullable().default(null),
    forecastWeeks: z.number().int().min(1).max(52).default(8),
    quoteTtlMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(15),
  })
  .strict()
  .refine((r) => r.maxMultiplier >= r.minMultiplier, {
    path: ['maxMultiplier'],
    message: 'must be at least minMultiplier',
  })
  .refine(
    (r) =>
      r.floorPerHourMinor === null ||
      r.ceilingPerHourMinor === null ||
      r.ceilingPerHourMinor >= r.floorPerHourMinor,
    { path: ['ceilingPerHourMinor'], message: 'must be at least floorPerHourMinor' },
  );
export type PricingRuleDto = z.infer<typeof pricingRuleSchema>;
