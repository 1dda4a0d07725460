import { z } from 'zod';
import { idSchema, openingHoursSchema, siteDocumentSchema, timeZoneSchema } from '@cw/sites';
import { behaviourSchema } from './behaviour.schema';
import { devicesSchema } from './devices.schema';
import { isoDate, probability, rate } from './scenario-primitives';

export type { BehaviourConfig, LatenessProfile } from './behaviour.schema';
export { LATENESS_PROFILES } from './behaviour.schema';
export type { DeviceNoiseConfig, DeviceOverride } from './devices.schema';
export type { DayKey } from './scenario-primitives';
export { DAY_KEYS, HOUR_KEY, hourOfKey } from './scenario-primitives';

/**
 * The shape of a scenario file. Rules that need the site (resources, devices, opening hours) live in
 * scenario-checks.ts; everything here is checked field by field, so zod reports the path of the bad field.
 */

export const PLAN_KINDS = ['flex', 'fixed_desk', 'private_office', 'day_pass'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

const planSchema = z
  .object({
    /** Members on this plan; or `share` of `population.members`. */
    count: z.number().int().min(0, 'must not be negative').optional(),
    share: probability.optional(),
    /** Mean chance of coming in on a weekday whose attendance factor is 1. */
    attendance: probability.optional(),
    /** Multiplies `behaviour.bookings.propensity` for members of this plan. */
    bookingFactor: rate.default(1),
    /** Desks reserved for this plan (fixed desks, offices); default the last desks of the site. */
    desks: z.array(idSchema).optional(),
  })
  .strict()
  .superRefine((plan, ctx) => {
    if ((plan.count === undefined) === (plan.share === undefined))
      ctx.addIssue({ code: 'custom', path: [], message: 'give either count or share' });
  });
export type PlanConfig = z.infer<typeof planSchema>;

const populationSchema = z
  .object({
    /** Total members; needed when plans are given as shares. */
    members: z.number().int().min(0, 'must not be negative').optional(),
    companies: z.number().int().min(0, 'must not be negative').default(8),
    /** Share of flex and fixed-desk members who belong to no company. */
    freelancers: probability.default(0.3),
    plans: z
      .object({
        flex: planSchema.optional(),
        fixed_desk: planSchema.optional(),
        private_office: planSchema.optional(),
        day_pass: planSchema.optional(),
      })
      .strict(),
  })
  .strict()
  .superRefine((population, ctx) => {
    const entries = PLAN_KINDS.flatMap((kind) => {
      const plan = population.plans[kind];
      return plan ? [[kind, plan] as const] : [];
    });
    const shared = entries.filter(([, plan]) => plan.share !== undefined);
    if (shared.length > 0 && population.members === undefined)
      ctx.addIssue({ code: 'custom', path: ['members'], message: 'required when a plan gives a share' });
    const total = shared.reduce((sum, [, plan]) => sum + (plan.share ?? 0), 0);
    if (total > 1 + 1e-9)
      ctx.addIssue({ code: 'custom', path: ['plans'], message: `shares add up to ${total}, more than 1` });
  });
export type PopulationConfig = z.infer<typeof populationSchema>;

/** A site generated from counts, for load scenarios that would otherwise need thousands of lines of JSON. */
export const layoutSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    timeZone: timeZoneSchema.default('Europe/Madrid'),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'ISO 4217 code such as EUR')
      .default('EUR'),
    openingHours: openingHoursSchema.optional(),
    floors: z.number().int().min(1).max(50).default(1),
    desksPerFloor: z.number().int().min(0).max(2000).default(20),
    meetingRoomsPerFloor: z.number().int().min(0).max(100).default(2),
    boothsPerFloor: z.number().int().min(0).max(100).default(1),
    /** A presence sensor on every desk. */
    deskSensors: z.boolean().default(true),
  })
  .strict();
export type LayoutConfig = z.infer<typeof layoutSchema>;

export const scenarioSiteSchema = z
  .object({
    // member, booking and event ids embed the site id and must stay within the platform's 64 characters
    id: idSchema.and(z.string().max(40, 'at most 40 characters')),
    /** Path of a site document (JSON or YAML), relative to the scenario file. */
    siteFile: z.string().min(1).optional(),
    site: siteDocumentSchema.optional(),
    layout: layoutSchema.optional(),
    population: populationSchema,
    behaviour: behaviourSchema.default({}),
    devices: devicesSchema.default({}),
  })
  .strict()
  .superRefine((site, ctx) => {
    const given = [site.siteFile, site.site, site.layout].filter((x) => x !== undefined).length;
    if (given !== 1)
      ctx.addIssue({ code: 'custom', path: [], message: 'give exactly one of siteFile, site or layout' });
  });
export type ScenarioSiteInput = z.infer<typeof scenarioSiteSchema>;

export const scenarioSchema = z
  .object({
    name: z.string().min(1).max(100),
    description: z.string().optional(),
    seed: z.number().int().min(0).max(0xffffffff).default(42),
    /** First simulated local date; the CLI's --start wins. */
    start: isoDate.optional(),
    /** Default number of days; the CLI's --days wins. */
    days: z.number().int().min(1).optional(),
    topicPrefix: z
      .string()
      .regex(/^[a-zA-Z0-9_-]+$/, 'letters, digits, _ or -')
      .default('cw'),
    sites: z.array(scenarioSiteSchema).min(1, 'needs at least one site'),
  })
  .strict()
  .superRefine((scenario, ctx) => {
    const seen = new Set<string>();
    scenario.sites.forEach((site, i) => {
      if (seen.has(site.id))
        ctx.addIssue({ code: 'custom', path: ['sites', i, 'id'], message: `duplicate site id ${site.id}` });
      seen.add(site.id);
    });
  });
export type ScenarioInput = z.infer<typeof scenarioSchema>;
