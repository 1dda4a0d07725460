import { z } from 'zod';
import { idSchema } from '@cw/sites';
import { minutes, probability, rate, weightsByDay } from './scenario-primitives';

/** How members behave: when they come and go, what they book, when they leave for good, how they pay. */

const bookingsSchema = z
  .object({
    /** Meetings a member in the building books per day, on average (Poisson). */
    propensity: rate.default(0.3),
    /** How long before its start a booking is made: log-uniform between the bounds. */
    leadTime: z
      .object({ minHours: rate.default(0.25), maxHours: rate.default(72) })
      .strict()
      .refine((lead) => lead.maxHours >= lead.minHours, { path: ['maxHours'], message: 'below minHours' })
      .default({}),
    /** Meeting lengths in minutes (multiples of 15), with their weights. */
    lengths: z
      .record(z.string().regex(/^\d+$/, 'minutes'), rate)
      .refine((w) => Object.values(w).some((v) => v > 0), 'needs at least one positive weight')
      .superRefine((weights, ctx) => {
        for (const key of Object.keys(weights))
          if (Number(key) <= 0 || Number(key) % 15 !== 0)
            ctx.addIssue({
              code: 'custom',
              path: [key],
              message: 'a length must be a positive multiple of 15',
            });
      })
      .default({ 30: 3, 60: 4, 90: 1, 120: 1 }),
    cancel: probability.default(0.05),
    /** Of the bookings not cancelled: nobody comes. */
    noShow: probability.default(0.12),
    /** Of the bookings not cancelled: checked in, then the room empties well before the end. */
    ghost: probability.default(0.06),
    /** Of the attended bookings: the booker also checks in through the booking system. */
    checkIn: probability.default(0.3),
    /** Free time kept between two bookings of a room, so one meeting's presence never looks like the next one's. */
    gapMinutes: rate.default(30),
    /** Only these rooms are booked; default every bookable meeting room with a door or presence sensor. */
    rooms: z.array(idSchema).optional(),
  })
  .strict()
  .refine((b) => b.noShow + b.ghost <= 1, { path: ['ghost'], message: 'noShow + ghost must not exceed 1' });

const defaultHours = {
  default: { 8: 3, 9: 5, 10: 3, 11: 1, 13: 1, 14: 1 },
  sat: { 9: 3, 10: 2, 11: 1 },
};
const defaultDepartures = {
  default: { 13: 1, 16: 2, 17: 4, 18: 4, 19: 2, 20: 1 },
  sat: { 12: 2, 13: 3 },
};

const churnSchema = z
  .object({
    /** Chance per member and 30 days of leaving (exponential time to churn, from the run's first day). */
    monthlyRate: rate.default(0.03),
    /** Visits fade over this many days before the churn date. */
    declineDays: rate.default(42),
    /** Attendance multiplier reached on the churn date. */
    declineTo: probability.default(0.15),
  })
  .strict();

export const LATENESS_PROFILES = ['on_time', 'late', 'very_late', 'defaulter'] as const;
export type LatenessProfile = (typeof LATENESS_PROFILES)[number];
const profileWeights = z
  .object({
    on_time: rate.optional(),
    late: rate.optional(),
    very_late: rate.optional(),
    defaulter: rate.optional(),
  })
  .strict()
  .refine((w) => Object.values(w).some((v) => (v ?? 0) > 0), 'needs at least one positive weight');

const paymentsSchema = z
  .object({
    profiles: profileWeights.default({ on_time: 0.72, late: 0.18, very_late: 0.07, defaulter: 0.03 }),
    /** Members who will churn pay worse; default the same weights as everybody. */
    churnerProfiles: profileWeights.optional(),
  })
  .strict();

export const behaviourSchema = z
  .object({
    /** Multiplies each member's attendance per weekday. */
    attendance: z
      .object({
        mon: rate.optional(),
        tue: rate.optional(),
        wed: rate.optional(),
        thu: rate.optional(),
        fri: rate.optional(),
        sat: rate.optional(),
        sun: rate.optional(),
      })
      .strict()
      .default({}),
    arrival: weightsByDay.default(defaultHours),
    departure: weightsByDay.default(defaultDepartures),
    minStayMinutes: minutes.default(60),
    /** Chance per visit day of going out for lunch (two visits that day). */
    lunchOut: probability.default(0.4),
    /** Phone-booth calls per member per day, on average. */
    callsPerDay: rate.default(0.6),
    bookings: bookingsSchema.default({}),
    churn: churnSchema.default({}),
    payments: paymentsSchema.default({}),
  })
  .strict();
export type BehaviourConfig = z.infer<typeof behaviourSchema>;
