import { z } from 'zod';
import { isLocalDate } from '../model/local-days';

export const churnRiskQuerySchema = z
  .object({
    /** Lowest score listed (0-100). */
    min: z.coerce.number().int().min(0).max(100).default(0),
    limit: z.coerce.number().int().min(1).max(1000).default(50),
    /** Site-local day of the scores; default today. */
    on: z.string().refine(isLocalDate, 'a date YYYY-MM-DD').optional(),
  })
  .strict();
export type ChurnRiskQuery = z.infer<typeof churnRiskQuerySchema>;
