import { z } from 'zod';

const id = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'at most 64 characters')
  .regex(/^[a-zA-Z0-9_-]+$/, 'letters, digits, _ or - only');
const deviceId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-zA-Z0-9_.:-]+$/, 'letters, digits, _ . : - only');
const point = z.tuple([z.number().finite(), z.number().finite()]);
const polygon = z.array(point).min(3, 'a polygon needs at least 3 points');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM, 00:00 to 24:00');

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const RESOURCE_KINDS = ['desk', 'meeting_room', 'phone_booth', 'event_space', 'locker', 'parking', 'equipment'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

const timeZone = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone such as Europe/Madrid' },
);

export const openingHoursSchema = z
  .array(z.object({ day: z.enum(WEEKDAYS), open: hhmm, close: hhmm }).strict())
  .superRefine((slots, ctx) =>
    slots.forEach((slot, i) => {
      if (slot.close <= slot.open) ctx.addIssue({ code: 'custom', path: [i, 'close'], message: 'must be after open' });
    }),
  );

export const resourceSchema = z
  .object({
    id,
    name: z.string().min(1).max(120),
    kind: z.enum(RESOURCE_KINDS),
    capacity: z.number().int().min(0).default(1),
    bookable: z.boolean().default(true),
    /** Per hour, in minor units of the site's currency. */
    basePriceMinor: z.number().int().min(0, 'must not be negative').default(0),
    polygon,
  })
  .strict();

export const floorSchema = z
  .object({
    id,
    name: z.string().min(1).max(120),
    level: z.number().int().default(0),
    plan: z
      .object({
        width: z.number().positive(),
        height: z.number().positive(),
        /** Walls of the floor, drawn under the resources. */
        outline: polygon.optional(),
      })
      .strict(),
    resources: z.array(resourceSchema).default([]),
  })
  .strict();

export const deviceSchema = z
  .object({
    id: deviceId,
    type: z.enum(['door', 'sensor']),
    name: z.string().min(1).max(120),
    /** The resources this device serves: the rooms a door opens, the room a sensor watches. */
    resources: z.array(id).default([]),
  })
  .strict();

/**
 * A whole site as one document, so a space can be kept as a file and PUT idempotently.
 * Cross-references are checked here so a bad document fails with the path of the bad field.
 */
export const siteDocumentSchema = z
  .object({
    name: z.string().min(1).max(200),
    timeZone,
    currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code such as EUR'),
    /** Tax in basis points: 2100 = 21 %. */
    taxRateBp: z.number().int().min(0).max(10000).default(0),
    openingHours: openingHoursSchema.default([]),
    floors: z.array(floorSchema).default([]),
    devices: z.array(deviceSchema).default([]),
  })
  .strict()
  .superRefine((site, ctx) => {
    const floorIds = new Set<string>();
    const resourceIds = new Set<string>();
    site.floors.forEach((floor, f) => {
      if (floorIds.has(floor.id)) ctx.addIssue({ code: 'custom', path: ['floors', f, 'id'], message: `duplicate floor id ${floor.id}` });
      floorIds.add(floor.id);
      floor.resources.forEach((resource, r) => {
        const path = ['floors', f, 'resources', r];
        if (resourceIds.has(resource.id)) ctx.addIssue({ code: 'custom', path: [...path, 'id'], message: `duplicate resource id ${resource.id}` });
        resourceIds.add(resource.id);
        resource.polygon.forEach(([x, y], p) => {
          if (x < 0 || y < 0 || x > floor.plan.width || y > floor.plan.height) {
            ctx.addIssue({ code: 'custom', path: [...path, 'polygon', p], message: 'point lies outside the floor plan' });
          }
        });
      });
    });
    const deviceIds = new Set<string>();
    site.devices.forEach((device, d) => {
      if (deviceIds.has(device.id)) ctx.addIssue({ code: 'custom', path: ['devices', d, 'id'], message: `duplicate device id ${device.id}` });
      deviceIds.add(device.id);
      device.resources.forEach((resourceId, r) => {
        if (!resourceIds.has(resourceId)) {
          ctx.addIssue({ code: 'custom', path: ['devices', d, 'resources', r], message: `unknown resource ${resourceId}` });
        }
      });
    });
  });

export type SiteDocumentInput = z.input<typeof siteDocumentSchema>;
export type SiteDocument = z.infer<typeof siteDocumentSchema>;
export type FloorInput = z.infer<typeof floorSchema>;
export type ResourceInput = z.infer<typeof resourceSchema>;
export type DeviceInput = z.infer<typeof deviceSchema>;
