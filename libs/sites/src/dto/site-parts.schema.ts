import { z } from 'zod';
import {
  deviceIdSchema,
  deviceSchema,
  floorSchema,
  idSchema,
  refinePlanOutline,
  resourceSchema,
} from './site-document.schema';

// Bodies of the finer endpoints: the same fields as in the site document, with the id taken from the path
// (an id in the body is tolerated when it matches, so a GET result can be PUT back).

/** A floor alone; its resources have their own endpoint. */
export const floorBodySchema = floorSchema
  .omit({ resources: true })
  .extend({ id: idSchema.optional() })
  .superRefine((floor, ctx) => refinePlanOutline(floor.plan, ctx, ['plan']));

/** A resource names its floor, which nesting expresses in the site document. */
export const resourceBodySchema = resourceSchema.extend({ id: idSchema.optional(), floor: idSchema });

export const deviceBodySchema = deviceSchema.extend({ id: deviceIdSchema.optional() });

export type FloorBody = z.infer<typeof floorBodySchema>;
export type ResourceBody = z.infer<typeof resourceBodySchema>;
export type DeviceBody = z.infer<typeof deviceBodySchema>;
