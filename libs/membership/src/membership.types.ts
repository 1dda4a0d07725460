export const PLAN_KINDS = [
  'flex_desk',
  'fixed_desk',
  'private_office',
  'virtual_office',
  'day_pass',
  'hour_pack',
] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];

/** Memberships run under contracts; passes and packs are sold once as vouchers (the credits lib). */
export const CONTRACT_PLAN_KINDS: readonly PlanKind[] = [
  'flex_desk',
  'fixed_desk',
  'private_office',
  'virtual_office',
];

export type PlanPeriod = 'month' | 'once';
export type MemberStatus = 'active' | 'offboarded' | 'erased';
export type ContractStatus = 'active' | 'ended' | 'cancelled';
export type EndReason = 'cancelled' | 'plan_change' | 'expired' | 'offboarded';

/** A local calendar date in the site's zone, `YYYY-MM-DD`. */
export type LocalDate = string;

export interface WeeklyHours {
  day: 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
  open: string;
  close: string;
}

export interface Company {
  siteId: string;
  id: string;
  name: string;
  billingEmail: string | null;
  billingMemberId: string | null;
  taxId: string | null;
  address: string | null;
  createdAt: Date;
}

export interface Member {
  siteId: string;
  id: string;
  companyId: string | null;
  team: string | null;
  name: string;
  email: string | null;
  phone: string | null;
  address: string | null;
  taxId: string | null;
  status: MemberStatus;
  createdAt: Date;
  offboardedAt: Date | null;
  erasedAt: Date | null;
}

export interface Plan {
  siteId: string;
  id: string;
  name: string;
  kind: PlanKind;
  priceMinor: number;
  period: PlanPeriod;
  includedCreditsMinor: number;
  passDays: number | null;
  passMinutes: number | null;
  passValidDays: number | null;
  accessZones: string[];
  accessHours: WeeklyHours[];
  bookableKinds: string[];
  bookingDiscountPct: number;
  active: boolean;
  createdAt: Date;
}

export interface Contract {
  siteId: string;
  id: string;
  memberId: string;
  companyId: string | null;
  planId: string;
  /** The plan's price when the contract was signed. */
  priceMinor: number;
  start: LocalDate;
  /** Exclusive; null while open-ended. */
  end: LocalDate | null;
  noticeDays: number;
  status: ContractStatus;
  endReason: EndReason | null;
  replacedBy: string | null;
  noticeGivenAt: Date | null;
  createdAt: Date;
}

export interface Assignment {
  siteId: string;
  id: string;
  contractId: string;
  memberId: string;
  resourceId: string | null;
  item: string | null;
  startsAt: Date;
  releasedAt: Date | null;
}

export type Upserted<T> = { created: boolean; value: T };
