import { z } from 'zod';
import { openingHoursSchema, RESOURCE_KINDS } from '@cw/sites';
import { CONTRACT_PLAN_KINDS, Plan, PLAN_KINDS, PlanKind, WeeklyHours } from '../membership.types';
import { refSchema, text } from './fields';

const MAX_INT = 2_147_483_647;
const minor = z
  .number()
  .int('must be a whole number of minor units')
  .min(0, 'must not be negative')
  .max(MAX_INT, 'too large');
const positiveInt = z
  .number()
  .int('must be a whole number')
  .positive('must be positive')
  .max(MAX_INT, 'too large');

export const planBodySchema = z
  .object({
    id: refSchema.optional(),
    name: text(200),
    kind: z.enum(PLAN_KINDS),
    /** In minor units of the site's currency, per period. */
    priceMinor: minor,
    /** month: recurring; once: passes and packs. Defaults from the kind. */
    period: z.enum(['month', 'once']).optional(),
    includedCreditsMinor: minor.optional(),
    passDays: positiveInt.nullable().optional(),
    passMinutes: positiveInt.nullable().optional(),
    passValidDays: positiveInt.nullable().optional(),
    accessZones: z.array(refSchema).max(100).optional(),
    /** Weekly access hours in the site's zone; empty: the site's opening hours. */
    accessHours: openingHoursSchema.optional(),
    bookableKinds: z.array(z.enum(RESOURCE_KINDS)).max(RESOURCE_KINDS.length).optional(),
    bookingDiscountPct: z.number().int('must be a whole percent').min(0).max(100).optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    const expected = defaultPeriod(p.kind);
    if (p.period !== undefined && p.period !== expected)
      issue(
        'period',
        `a ${p.kind} plan is billed ${expected === 'month' ? 'monthly (month)' : 'once (once)'}`,
      );
    if (CONTRACT_PLAN_KINDS.includes(p.kind)) {
      for (const field of ['passDays', 'passMinutes', 'passValidDays'] as const)
        if (p[field] != null) issue(field, `only day passes and hour packs have ${field}`);
      return;
    }
    if (p.passValidDays == null) issue('passValidDays', `required for a ${p.kind}`);
    if (p.kind === 'day_pass') {
      if (p.passDays == null) issue('passDays', 'required for a day_pass');
      if (p.passMinutes != null) issue('passMinutes', 'only hour packs hold minutes');
    } else {
      if (p.passMinutes == null) issue('passMinutes', 'required for an hour_pack');
      if (p.passDays != null) issue('passDays', 'only day passes hold days');
    }
  });
export type PlanBody = z.infer<typeof planBodySchema>;

export function defaultPeriod(kind: PlanKind): 'month' | 'once' {
  return CONTRACT_PLAN_KINDS.includes(kind) ? 'month' : 'once';
}

export interface PlanView {
  id: string;
  site: string;
  name: string;
  kind: PlanKind;
  priceMinor: number;
  period: 'month' | 'once';
  includedCreditsMinor: number;
  passDays: number | null;
  passMinutes: number | null;
  passValidDays: number | null;
  accessZones: string[];
  accessHours: WeeklyHours[];
  bookableKinds: string[];
  bookingDiscountPct: number;
  active: boolean;
  createdAt: string;
}

export function toPlanView(p: Plan): PlanView {
  return {
    id: p.id,
    site: p.siteId,
    name: p.name,
    kind: p.kind,
    priceMinor: p.priceMinor,
    period: p.period,
    includedCreditsMinor: p.includedCreditsMinor,
    passDays: p.passDays,
    passMinutes: p.passMinutes,
    passValidDays: p.passValidDays,
    accessZones: p.accessZones,
    accessHours: p.accessHours,
    bookableKinds: p.bookableKinds,
    bookingDiscountPct: p.bookingDiscountPct,
    active: p.active,
    createdAt: p.createdAt.toISOString(),
  };
}
