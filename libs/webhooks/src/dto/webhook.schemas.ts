import { z } from 'zod';
import { ALL_EVENTS, WEBHOOK_EVENT_TYPES } from '../webhooks.events';
import { DELIVERY_STATUSES } from '../webhooks.types';

const SUBSCRIBABLE = [ALL_EVENTS, ...WEBHOOK_EVENT_TYPES] as const;

export const createWebhookSchema = z
  .object({
    url: z
      .string()
      .max(2048)
      .url()
      .refine((v) => /^https?:\/\//i.test(v), { message: 'only http and https URLs are allowed' }),
    events: z
      .array(z.enum(SUBSCRIBABLE))
      .min(1)
      .max(SUBSCRIBABLE.length)
      .refine((events) => new Set(events).size === events.length, { message: 'events must not repeat' }),
    /** Absent: the caller's own site; null: every site (keys that span every site only). */
    site: z
      .string()
      .regex(/^[a-zA-Z0-9_-]{1,64}$/)
      .nullable()
      .optional(),
  })
  .strict();
export type CreateWebhookInput = z.infer<typeof createWebhookSchema>;

export const listDeliveriesQuerySchema = z
  .object({
    status: z.enum(DELIVERY_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type ListDeliveriesQuery = z.infer<typeof listDeliveriesQuerySchema>;

export const webhookIdSchema = z.string().regex(/^[a-zA-Z0-9_-]{1,80}$/);
