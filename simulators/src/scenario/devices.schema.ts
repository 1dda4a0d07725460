import { z } from 'zod';
import { deviceIdSchema } from '@cw/sites';
import { instant, minutes, probability, rate } from './scenario-primitives';

/** How devices misbehave: every rate defaults to 0, so a scenario opts in to each kind of noise. */

const deviceOverrideSchema = z
  .object({
    skewSeconds: z.number().finite().optional(),
    miss: probability.optional(),
    falseTriggersPerHour: rate.optional(),
    duplicate: probability.optional(),
    drop: probability.optional(),
    offlinePerDay: rate.optional(),
  })
  .strict();
export type DeviceOverride = z.infer<typeof deviceOverrideSchema>;

export const devicesSchema = z
  .object({
    presence: z
      .object({
        /** Chance a presence reading is never sent (the sensor did not see anyone). */
        miss: probability.default(0),
        /** Spurious "occupied" reports per sensor per hour of an empty, open resource. */
        falseTriggersPerHour: rate.default(0),
      })
      .strict()
      .default({}),
    /** People counters: per person passing, not counted (`miss`) or counted twice (`extra`). */
    counter: z
      .object({ miss: probability.default(0), extra: probability.default(0) })
      .strict()
      .default({}),
    /** Each device's clock is off by a fixed offset: normal with this spread, cut at `maxSeconds`. */
    clockSkew: z
      .object({ sdSeconds: rate.default(0), maxSeconds: rate.default(300) })
      .strict()
      .default({}),
    /** Chance an event is published twice (same id). */
    duplicate: probability.default(0),
    /** Chance an event is lost in transit. */
    drop: probability.default(0),
    /** Chance an event is held up a few seconds, so a later one overtakes it. */
    outOfOrder: z
      .object({ rate: probability.default(0), maxSeconds: minutes.default(30) })
      .strict()
      .default({}),
    /** Chance an event is delivered minutes late (a device buffering through a network hiccup). */
    late: z
      .object({ rate: probability.default(0), minMinutes: rate.default(2), maxMinutes: rate.default(60) })
      .strict()
      .refine((l) => l.maxMinutes >= l.minMinutes, { path: ['maxMinutes'], message: 'below minMinutes' })
      .default({}),
    /** Random windows per device with no events at all. */
    offline: z
      .object({ perDeviceDay: rate.default(0), minMinutes: rate.default(20), maxMinutes: rate.default(240) })
      .strict()
      .refine((o) => o.maxMinutes >= o.minMinutes, { path: ['maxMinutes'], message: 'below minMinutes' })
      .default({}),
    /** Known outages. */
    outages: z
      .array(
        z
          .object({ device: deviceIdSchema, from: instant, to: instant })
          .strict()
          .refine((o) => Date.parse(o.to) > Date.parse(o.from), {
            path: ['to'],
            message: 'must be after from',
          }),
      )
      .default([]),
    overrides: z.record(deviceIdSchema, deviceOverrideSchema).default({}),
  })
  .strict();
export type DeviceNoiseConfig = z.infer<typeof devicesSchema>;
