import { z } from 'zod';
import { phaseOf, termAt } from '../contract-rules';
import { Assignment, Contract, LocalDate } from '../membership.types';
import { localDateSchema, refSchema, text } from './fields';

const noticeDays = z.number().int('must be a whole number of days').min(0, 'must not be negative').max(3650);

export const signUpSchema = z
  .object({
    id: refSchema.optional(),
    member: refSchema,
    /** Who is invoiced: a company, or null for the member. Left out: the member's company, if any. */
    company: refSchema.nullable().optional(),
    plan: refSchema,
    start: localDateSchema,
    /** Exclusive; left out or null: open-ended, renewing monthly until notice. */
    end: localDateSchema.nullable().optional(),
    noticeDays: noticeDays.optional(),
  })
  .strict()
  .refine((c) => !c.end || c.end > c.start, { path: ['end'], message: 'must be after start' });
export type SignUpBody = z.infer<typeof signUpSchema>;

export const changePlanSchema = z
  .object({
    plan: refSchema,
    /** The first day on the new plan: this contract ends (exclusive) and the next one starts here. */
    on: localDateSchema,
    /** Id of the new contract; generated when left out. */
    id: refSchema.optional(),
    noticeDays: noticeDays.optional(),
  })
  .strict();
export type ChangePlanBody = z.infer<typeof changePlanSchema>;

export const cancelSchema = z.object({ on: localDateSchema.optional() }).strict();
export const renewSchema = z.object({ until: localDateSchema }).strict();

export const listContractsSchema = z
  .object({ member: refSchema.optional(), status: z.enum(['active', 'ended', 'cancelled']).optional() })
  .strict();

export const assignSchema = z
  .object({
    id: refSchema.optional(),
    /** A locker, parking space or desk of the site... */
    resource: refSchema.optional(),
    /** ...or a physical item such as a key, by its label. */
    item: text(100).optional(),
  })
  .strict()
  .refine((a) => (a.resource === undefined) !== (a.item === undefined), {
    path: ['resource'],
    message: 'give exactly one of resource or item',
  });
export type AssignBody = z.infer<typeof assignSchema>;

export interface ContractView {
  id: string;
  site: string;
  member: string;
  company: string | null;
  plan: string;
  priceMinor: number;
  start: LocalDate;
  end: LocalDate | null;
  noticeDays: number;
  status: Contract['status'];
  /** On the site's today: upcoming, running, ended or cancelled. */
  phase: ReturnType<typeof phaseOf>;
  /** Open-ended running contracts: the monthly term today falls in (it renews at its end). */
  currentTerm: { start: LocalDate; end: LocalDate } | null;
  endReason: Contract['endReason'];
  replacedBy: string | null;
  noticeGivenAt: string | null;
  createdAt: string;
}

export function toContractView(c: Contract, today: LocalDate): ContractView {
  const phase = phaseOf(c, today);
  return {
    id: c.id,
    site: c.siteId,
    member: c.memberId,
    company: c.companyId,
    plan: c.planId,
    priceMinor: c.priceMinor,
    start: c.start,
    end: c.end,
    noticeDays: c.noticeDays,
    status: c.status,
    phase,
    currentTerm: c.end === null && phase !== 'cancelled' ? termAt(c.start, today) : null,
    endReason: c.endReason,
    replacedBy: c.replacedBy,
    noticeGivenAt: c.noticeGivenAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
  };
}

export interface AssignmentView {
  id: string;
  site: string;
  contract: string;
  member: string;
  resource: string | null;
  item: string | null;
  startsAt: string;
  releasedAt: string | null;
}

export function toAssignmentView(a: Assignment): AssignmentView {
  return {
    id: a.id,
    site: a.siteId,
    contract: a.contractId,
    member: a.memberId,
    resource: a.resourceId,
    item: a.item,
    startsAt: a.startsAt.toISOString(),
    releasedAt: a.releasedAt?.toISOString() ?? null,
  };
}
