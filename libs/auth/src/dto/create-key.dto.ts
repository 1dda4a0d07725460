import { z } from 'zod';
import { ROLES } from '../principal';

export const createKeySchema = z
  .object({
    name: z.string().min(1).max(120),
    role: z.enum(ROLES),
    site: z.string().min(1).max(64).nullable().optional(),
    // member keys act as one member of their site and see only that member's data
    member: z
      .string()
      .regex(/^[a-zA-Z0-9_.:-]{1,64}$/)
      .optional(),
    id: z
      .string()
      .regex(/^[a-zA-Z0-9_.:-]{1,64}$/)
      .optional(),
  })
  .strict()
  .refine((k) => k.role === 'admin' || k.role === 'manager' || Boolean(k.site), {
    path: ['site'],
    message: 'integration, device and member keys belong to one site',
  })
  .refine((k) => (k.role === 'member') === Boolean(k.member), {
    path: ['member'],
    message: 'member keys, and only they, name the member they act as',
  })
  .refine((k) => k.role !== 'admin' || !k.site, { path: ['site'], message: 'admin keys span every site' });
export type CreateKeyDto = z.infer<typeof createKeySchema>;
