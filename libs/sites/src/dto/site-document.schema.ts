import { z } from 'zod';

export const idSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'at most 64 characters')
  .regex(/^[a-zA-Z0-9_-]+$/, 'letters, digits, _ or - only');
export const deviceIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'at most 64 characters')
  .regex(/^[a-zA-Z0-9_.:-]+$/, 'letters, digits, _ . : - only');
const point = z.tuple([z.number().finite(), z.number().finite()]);
const polygon = z.array(point).min(3, 'a polygon needs at least 3 points');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM, 00:00 to 24:00');

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const RESOURCE_KINDS = [
  'desk',
  'meeting_room',
  'phone_booth',
  'event_space',
  'locker',
  'parking',
  'equipment',
] as const;
export const DEVICE_TYPES = ['door', 'sensor'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];
export type DeviceType = (typeof DEVICE_TYPES)[number];
export type Point = z.infer<typeof point>;

/** An IANA zone name the runtime knows; shared with the simulator's scenario files. */
export const timeZoneSchema = z.string().refine(
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
      if (slot.close <= slot.open) {
        ctx.addIssue({ code: 'custom', path: [i, 'close'], message: 'must be after open' });
        return;
      }
      // Overlapping slots would count the same open minutes twice in every utilisation KPI.
      const clash = slots.findIndex(
        (o, j) =>
          j < i && o.day === slot.day && o.open < o.close && o.open < slot.close && slot.open < o.close,
      );
      if (clash >= 0)
        ctx.addIssue({ code: 'custom', path: [i], message: `overlaps slot ${clash} on ${slot.day}` });
    }),
  );

const planSchema = z
  .object({
    width: z.number().positive(),
    height: z.number().positive(),
    /** Walls of the floor, drawn under the resources. */
    outline: polygon.optional(),
  })
  .strict();
export type FloorPlan = z.infer<typeof planSchema>;

/** Indexes of the points that fall outside a floor plan, whose origin is its top-left corner. */
export function pointsOutsidePlan(
  points: readonly Point[],
  plan: Pick<FloorPlan, 'width' | 'height'>,
): number[] {
  const outside: number[] = [];
  points.forEach(([x, y], i) => {
    if (x < 0 || y < 0 || x > plan.width || y > plan.height) outside.push(i);
  });
  return outside;
}

export const resourceSchema = z
  .object({
    id: idSchema,
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
    id: idSchema,
    name: z.string().min(1).max(120),
    level: z.number().int().default(0),
    plan: planSchema,
    resources: z.array(resourceSchema).default([]),
  })
  .strict();

export const deviceSchema = z
  .object({
    id: deviceIdSchema,
    type: z.enum(DEVICE_TYPES),
    name: z.string().min(1).max(120),
    /** The resources this device serves: the rooms a door opens, the room a sensor watches. */
    resources: z.array(idSchema).default([]),
  })
  .strict();

const outsideIssue = (ctx: z.RefinementCtx, path: (string | number)[]) =>
  ctx.addIssue({ code: 'custom', path, message: 'point lies outside the floor plan' });

/** Checks what one floor can check alone; shared by the whole document and `PUT .../floors/{floor}`. */
export function refinePlanOutline(plan: FloorPlan, ctx: z.RefinementCtx, path: (string | number)[]): void {
  if (plan.outline)
    pointsOutsidePlan(plan.outline, plan).forEach((p) => outsideIssue(ctx, [...path, 'outline', p]));
}

/**
 * A whole site as one document, so a space can be kept as a file and PUT idempotently.
 * Cross-references are checked here so a bad document fails with the path of the bad field.
 * `id` is optional so a document read back with GET can be PUT again unchanged.
 */
export const siteDocumentSchema = z
  .object({
    id: idSchema.optional(),
    name: z.string().min(1).max(200),
    timeZone: timeZoneSchema,
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
      if (floorIds.has(floor.id))
        ctx.addIssue({
          code: 'custom',
          path: ['floors', f, 'id'],
          message: `duplicate floor id ${floor.id}`,
        });
      floorIds.add(floor.id);
      refinePlanOutline(floor.plan, ctx, ['floors', f, 'plan']);
      floor.resources.forEach((resource, r) => {
        const path = ['floors', f, 'resources', r];
        if (resourceIds.has(resource.id))
          ctx.addIssue({
            code: 'custom',
            path: [...path, 'id'],
            message: `duplicate resource id ${resource.id}`,
          });
        resourceIds.add(resource.id);
        pointsOutsidePlan(resource.polygon, floor.plan).forEach((p) =>
          outsideIssue(ctx, [...path, 'polygon', p]),
        );
      });
    });
    const deviceIds = new Set<string>();
    site.devices.forEach((device, d) => {
      if (deviceIds.has(device.id))
        ctx.addIssue({
          code: 'custom',
          path: ['devices', d, 'id'],
          message: `duplicate device id ${device.id}`,
        });
      deviceIds.add(device.id);
      device.resources.forEach((resourceId, r) => {
        if (!resourceIds.has(resourceId)) {
          ctx.addIssue({
            code: 'custom',
            path: ['devices', d, 'resources', r],
            message: `unknown resource ${resourceId}`,
          });
        }
      });
    });
  });

export type SiteDocumentInput = z.input<typeof siteDocumentSchema>;
export type SiteDocument = z.infer<typeof siteDocumentSchema>;
export type OpeningHours = SiteDocument['openingHours'];
export type FloorInput = z.infer<typeof floorSchema>;
export type ResourceInput = z.infer<typeof resourceSchema>;
export type DeviceInput = z.infer<typeof deviceSchema>;
