import { z } from 'zod';
import { deviceIdSchema, idSchema } from '@cw/sites';
import { CREDENTIAL_KINDS } from '../access.types';

/** Ids of zones, members and credentials: what the 0006 tables accept. */
export const accessIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'at most 64 characters')
  .regex(/^[a-zA-Z0-9_.:-]+$/, 'letters, digits, _ . : - only');

export const zoneBodySchema = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(200),
    doors: z
      .array(deviceIdSchema)
      .max(1000)
      .refine((doors) => new Set(doors).size === doors.length, { message: 'doors must not repeat' }),
  })
  .strict();
export type ZoneBody = z.infer<typeof zoneBodySchema>;

// Card UIDs and mobile key ids are printable tokens; a PIN is digits only.
const printable = /^[\x21-\x7e]+$/;

export const credentialBodySchema = z
  .object({
    kind: z.enum(CREDENTIAL_KINDS),
    value: z
      .string()
      .min(1, 'must not be empty')
      .max(256, 'at most 256 characters')
      .regex(printable, 'printable ASCII, no spaces'),
    id: accessIdSchema.optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.kind === 'pin' && !/^\d{4,12}$/.test(body.value))
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['value'], message: 'a PIN is 4 to 12 digits' });
  });
export type CredentialBody = z.infer<typeof credentialBodySchema>;

export const revokeBodySchema = z
  .object({ reason: z.string().trim().min(1, 'must not be empty').max(200).optional() })
  .strict();
export type RevokeBody = z.infer<typeof revokeBodySchema>;

export const isoInstant = z
  .string()
  .datetime({ offset: true, message: 'must be ISO 8601 with an offset, e.g. 2026-03-01T09:00:00Z' });

export const decideBodySchema = z
  .object({
    site: idSchema.optional(),
    credential: z.string().min(1, 'must not be empty').max(256, 'at most 256 characters'),
    door: deviceIdSchema,
    at: isoInstant.optional(),
  })
  .strict();
export type DecideBody = z.infer<typeof decideBodySchema>;

export const settingsBodySchema = z
  .object({ bookingMarginMinutes: z.number().int().min(0).max(240) })
  .strict();
export type SettingsBody = z.infer<typeof settingsBodySchema>;

export const grantsQuerySchema = z
  .object({ from: isoInstant.optional(), to: isoInstant.optional() })
  .strict();
export type GrantsQuery = z.infer<typeof grantsQuerySchema>;
