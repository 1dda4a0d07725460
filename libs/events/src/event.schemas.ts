import { z } from 'zod';

/** Producer's unique event id: the idempotency key. */
const eventId = z.string().min(1, 'must not be empty').max(128, 'at most 128 characters');
/** Device time: ISO 8601 with an explicit offset, so a device in another zone is never misread. */
const isoWithOffset = z
  .string()
  .datetime({ offset: true, message: 'must be ISO 8601 with an offset, e.g. 2026-03-01T09:00:00Z' });
const ref = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'at most 64 characters')
  .regex(/^[a-zA-Z0-9_.:-]+$/, 'letters, digits, _ . : - only');

export const SENSOR_KINDS = [
  'presence',
  'people_in',
  'people_out',
  'count',
  'co2',
  'temperature',
  'humidity',
  'noise',
  'light',
  'battery',
] as const;

export const doorPayloadSchema = z
  .object({
    id: eventId,
    ts: isoWithOffset,
    credential: z.string().min(1, 'must not be empty').max(256),
    member: ref.optional(),
    direction: z.enum(['in', 'out']).optional(),
    result: z.enum(['granted', 'denied']),
    method: z.string().max(32).optional(),
    /** why the door answered so (a reason code such as outside_hours), when the controller says */
    reason: z
      .string()
      .max(64)
      .regex(/^[a-z0-9_.:-]+$/, 'a reason code: lower case letters, digits, _ . : -')
      .optional(),
  })
  .strict();

export const sensorPayloadSchema = z
  .object({
    id: eventId,
    ts: isoWithOffset,
    kind: z.enum(SENSOR_KINDS),
    // presence sensors often send booleans; store them as 1/0 so every reading is one number
    value: z.union([z.number().finite(), z.boolean().transform((b) => (b ? 1 : 0))]),
  })
  .strict()
  .superRefine((reading, ctx) => {
    const countLike = ['people_in', 'people_out', 'count'].includes(reading.kind);
    if (countLike && (reading.value < 0 || !Number.isInteger(reading.value))) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['value'],
        message: `${reading.kind} must be a whole number >= 0`,
      });
    }
    if (reading.kind === 'presence' && reading.value !== 0 && reading.value !== 1) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['value'],
        message: 'presence must be 0, 1, true or false',
      });
    }
  });

export const BOOKING_STATUSES = ['created', 'updated', 'cancelled', 'checked_in', 'ended'] as const;

export const bookingPayloadSchema = z
  .object({
    id: eventId,
    ts: isoWithOffset,
    booking: ref,
    resource: ref,
    member: ref.optional(),
    start: isoWithOffset,
    end: isoWithOffset,
    status: z.enum(BOOKING_STATUSES),
  })
  .strict()
  .refine((b) => Date.parse(b.end) > Date.parse(b.start), { path: ['end'], message: 'must be after start' });

export type DoorPayload = z.infer<typeof doorPayloadSchema>;
export type SensorPayload = z.infer<typeof sensorPayloadSchema>;
export type BookingPayload = z.infer<typeof bookingPayloadSchema>;

export const EVENT_TYPES = ['door', 'sensor', 'booking'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * HTTP batches carry the routing that MQTT puts in the topic: `type`, `site`, and `door` or `sensor`.
 * The envelope is checked first; the rest of the item is then checked by the schema of its type.
 */
export const httpEnvelopeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('door'), site: ref, door: ref }),
  z.object({ type: z.literal('sensor'), site: ref, sensor: ref }),
  z.object({ type: z.literal('booking'), site: ref }),
]);
export type HttpEnvelope = z.infer<typeof httpEnvelopeSchema>;

export const payloadSchemas = {
  door: doorPayloadSchema,
  sensor: sensorPayloadSchema,
  booking: bookingPayloadSchema,
} as const;
