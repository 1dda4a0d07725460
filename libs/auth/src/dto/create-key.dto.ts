import { z } from 'zod';
import { ROLES } from '../principal';

export const createKeySchema = z
  .object({
    name: z.string().min(1).max(120),
    role: z.enum(ROLES),
    site: z.string().min(1).max(64).nullable().optional(),
    id: z
      .string()
      .regex(/^[a-zA-Z0-9_.:-]{1,64}$/)
      .optional(),
  })
  .strict()
  .refine((k) => k.role === 'admin' || k.role === 'manager' || Boolean(k.site), {
    path: ['site'],
    message: 'integration and device keys belong to one site',
  })
  .refine((k) => k.role !== 'admin' || !k.site, { path: ['site'], message: 'admin keys span every site' });
export type CreateKeyDto = z.infer<typeof createKeySchema>;
