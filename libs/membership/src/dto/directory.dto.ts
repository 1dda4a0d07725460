import { z } from 'zod';
import { Company, Member } from '../membership.types';
import { refSchema, text } from './fields';

const email = z.string().trim().email('must be an email address').max(254);

export const companyBodySchema = z
  .object({
    id: refSchema.optional(),
    name: text(200),
    billingEmail: email.nullable().optional(),
    /** The member who receives the company's invoices; must belong to the company. */
    billingMember: refSchema.nullable().optional(),
    taxId: text(64).nullable().optional(),
    address: text(500).nullable().optional(),
  })
  .strict();
export type CompanyBody = z.infer<typeof companyBodySchema>;

export const memberBodySchema = z
  .object({
    id: refSchema.optional(),
    name: text(200),
    email: email.nullable().optional(),
    phone: text(40).nullable().optional(),
    address: text(500).nullable().optional(),
    taxId: text(64).nullable().optional(),
    company: refSchema.nullable().optional(),
    /** A team inside the company: a label, not a billing entity. */
    team: text(100).nullable().optional(),
  })
  .strict()
  .refine((m) => !m.team || m.company, {
    path: ['team'],
    message: 'a team belongs to a company: set company',
  });
export type MemberBody = z.infer<typeof memberBodySchema>;

export const listMembersSchema = z
  .object({
    company: refSchema.optional(),
    status: z.enum(['active', 'offboarded', 'erased']).optional(),
  })
  .strict();

export interface CompanyView {
  id: string;
  site: string;
  name: string;
  billingEmail: string | null;
  billingMember: string | null;
  taxId: string | null;
  address: string | null;
  createdAt: string;
}

export interface CompanyDetailView extends CompanyView {
  members: string[];
  teams: string[];
}

export interface MemberView {
  id: string;
  site: string;
  name: string;
  email: string | null;
  phone: string | null;
  address: string | null;
  taxId: string | null;
  company: string | null;
  team: string | null;
  status: Member['status'];
  createdAt: string;
  offboardedAt: string | null;
  erasedAt: string | null;
}

export function toCompanyView(c: Company): CompanyView {
  return {
    id: c.id,
    site: c.siteId,
    name: c.name,
    billingEmail: c.billingEmail,
    billingMember: c.billingMemberId,
    taxId: c.taxId,
    address: c.address,
    createdAt: c.createdAt.toISOString(),
  };
}

export function toMemberView(m: Member): MemberView {
  return {
    id: m.id,
    site: m.siteId,
    name: m.name,
    email: m.email,
    phone: m.phone,
    address: m.address,
    taxId: m.taxId,
    company: m.companyId,
    team: m.team,
    status: m.status,
    createdAt: m.createdAt.toISOString(),
    offboardedAt: m.offboardedAt?.toISOString() ?? null,
    erasedAt: m.erasedAt?.toISOString() ?? null,
  };
}
