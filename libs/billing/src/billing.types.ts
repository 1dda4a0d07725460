import { ChargeToBill, ContractToBill, UsageToBill } from './billing-lines';

export interface SiteBilling {
  siteId: string;
  timeZone: string;
  currency: string;
  taxRateBp: number;
}

/** A guest is known by the booking that was charged: each guest booking is invoiced on its own. */
export type BuyerRef =
  { type: 'company'; id: string } | { type: 'member'; id: string } | { type: 'guest'; id: string };

export const buyerKey = (b: BuyerRef) => `${b.type}:${b.id}`;

/** The buyer as printed on the invoice; kept on the row so a later change or GDPR erasure does not alter it. */
export interface BuyerDocument {
  type: BuyerRef['type'];
  id: string;
  name: string;
  taxId: string | null;
  address: string | null;
  email: string | null;
}

export interface BuyerRecord {
  document: BuyerDocument;
  /** The member the invoice is addressed to (a company's billing contact), who may read it with a member key. */
  memberId: string | null;
  companyId: string | null;
}

export interface PendingContract extends ContractToBill {
  companyId: string | null;
}

/** What is left to bill for a period, read in one snapshot. */
export interface PendingWork {
  contracts: PendingContract[];
  usage: UsageToBill[];
  charges: ChargeToBill[];
  /** member -> company paying for the member's contract in the period (null: the member pays). */
  payerOfMember: Map<string, string | null>;
}

export interface BuyerWork {
  buyer: BuyerRef;
  contracts: PendingContract[];
  usage: UsageToBill[];
  charges: ChargeToBill[];
}

/**
 * One invoice per buyer and period, grouping the buyer's contracts: a contract with a company goes to the company,
 * else to its member; a member's usage and charges follow whoever pays the member's contract in the period (the
 * member when there is none, as for a pass bought without a membership). A guest's booking is an invoice of its own.
 */
export function groupByBuyer(work: PendingWork): BuyerWork[] {
  const groups = new Map<string, BuyerWork>();
  const groupOf = (buyer: BuyerRef) => {
    const key = buyerKey(buyer);
    let group = groups.get(key);
    if (!group) {
      group = { buyer, contracts: [], usage: [], charges: [] };
      groups.set(key, group);
    }
    return group;
  };
  const payerOf = (memberId: string): BuyerRef => {
    const company = work.payerOfMember.get(memberId);
    return company ? { type: 'company', id: company } : { type: 'member', id: memberId };
  };
  for (const c of work.contracts)
    groupOf(
      c.companyId ? { type: 'company', id: c.companyId } : { type: 'member', id: c.memberId },
    ).contracts.push(c);
  for (const u of work.usage)
    groupOf(u.memberId === null ? { type: 'guest', id: u.bookingId } : payerOf(u.memberId)).usage.push(u);
  for (const c of work.charges) groupOf(payerOf(c.memberId)).charges.push(c);
  return [...groups.values()].sort((a, b) => buyerKey(a.buyer).localeCompare(buyerKey(b.buyer)));
}

/** Which pending work to read again: the work of these members, and these guests' bookings. */
export interface PendingScope {
  memberIds: string[];
  guestBookingIds: string[];
}

/** The pending work a buyer's group holds: the scope to re-read when that group must be planned again. */
export function scopeOf(group: BuyerWork): PendingScope {
  const memberIds = new Set<string>();
  const guestBookingIds: string[] = [];
  group.contracts.forEach((c) => memberIds.add(c.memberId));
  group.charges.forEach((c) => memberIds.add(c.memberId));
  for (const u of group.usage) {
    if (u.memberId === null) guestBookingIds.push(u.bookingId);
    else memberIds.add(u.memberId);
  }
  return { memberIds: [...memberIds].sort(), guestBookingIds: guestBookingIds.sort() };
}
