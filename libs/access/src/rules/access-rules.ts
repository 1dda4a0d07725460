import { windowAt } from '../time/weekly-hours';
import { localMoment, startOfLocalDay, addDays } from '../time/zoned-time';
import { DoorFacts, HolderFacts, SiteAccessFacts } from './access-facts';

export const GRANT_REASONS = ['contract_zone', 'booking_slot', 'day_pass'] as const;
export const DENY_REASONS = [
  'unknown_credential',
  'revoked',
  'offboarded',
  'outside_hours',
  'no_entitlement',
] as const;
export type GrantReason = (typeof GRANT_REASONS)[number];
export type DenyReason = (typeof DENY_REASONS)[number];
export type AccessReason = GrantReason | DenyReason;

export interface AccessVerdict {
  decision: 'grant' | 'deny';
  /** A stable machine code. */
  reason: AccessReason;
  /** The same in words, for people reading logs and door-event lists. */
  message: string;
  memberId: string | null;
  /** Grants only: when this entitlement stops opening this door (looked ahead at most two days). */
  until: Date | null;
  /** A day pass to spend for the local date before the grant stands (none spent yet that day). */
  spendPass?: { code: string; date: string };
}

const deny = (reason: DenyReason, message: string, memberId: string | null): AccessVerdict => ({
  decision: 'deny',
  reason,
  message,
  memberId,
  until: null,
});

const grant = (reason: GrantReason, message: string, memberId: string, until: number): AccessVerdict => ({
  decision: 'grant',
  reason,
  message,
  memberId,
  until: new Date(until),
});

/**
 * DESIGN.md, Rules: Access. Unknown or revoked credentials and members who left are refused; otherwise the first
 * entitlement that opens this door now grants: the contract's zones within its hours, a booking of a resource the
 * door serves within its slot plus margins, then a day pass (one already spent on this local date before a new one).
 * A refusal says `outside_hours` when something would open the door at another time, `no_entitlement` otherwise.
 */
export function decideAccess(
  site: SiteAccessFacts,
  door: DoorFacts,
  holder: HolderFacts,
  atDate: Date,
): AccessVerdict {
  const at = atDate.getTime();
  const credential = holder.credential;
  if (!credential) return deny('unknown_credential', 'the credential is not known at this site', null);
  const memberId = credential.memberId;
  if (holder.memberStatus !== 'active')
    return deny('offboarded', `member ${memberId} has left (${holder.memberStatus ?? 'unknown'})`, memberId);
  if (credential.revokedAt)
    return deny(
      'revoked',
      `credential ${credential.id} was revoked${credential.revokeReason ? ` (${credential.revokeReason})` : ''}`,
      memberId,
    );

  const { date } = localMoment(at, site.timeZone);
  let wrongTime = false;

  const contract = holder.contract;
  if (contract && contract.zones.some((zone) => door.zoneIds.includes(zone))) {
    const hours = contract.hours.length ? contract.hours : site.openingHours;
    const window = windowAt(hours, site.timeZone, at);
    if (window) {
      const contractEnd = contract.endDate ? startOfLocalDay(contract.endDate, site.timeZone) : Infinity;
      return grant(
        'contract_zone',
        `contract ${contract.id} (plan ${contract.planId}) opens this door's zone`,
        memberId,
        Math.min(window.to, contractEnd),
      );
    }
    wrongTime = true;
  }

  const booking = holder.bookings
    .filter((b) => door.resourceIds.includes(b.resourceId))
    .map((b) => ({ ...b, to: b.end.getTime() + site.bookingMarginMs }))
    .filter((b) => b.start.getTime() - site.bookingMarginMs <= at && at <= b.to)
    .sort((a, b) => b.to - a.to)[0];
  if (booking)
    return grant('booking_slot', `booking ${booking.id} of ${booking.resourceId}`, memberId, booking.to);
  if (holder.bookings.some((b) => door.resourceIds.includes(b.resourceId))) wrongTime = true;

  const dayEnd = startOfLocalDay(addDays(date, 1), site.timeZone);
  const usable = holder.passes
    .filter((p) => p.expiresAt.getTime() > at && (p.spentToday || p.balance > 0))
    .filter((p) => p.zones.length === 0 || p.zones.some((zone) => door.zoneIds.includes(zone)))
    // a pass already spent today first, then the one expiring soonest, so no day is spent that need not be
    .sort(
      (a, b) => Number(b.spentToday) - Number(a.spentToday) || a.expiresAt.getTime() - b.expiresAt.getTime(),
    );
  for (const pass of usable) {
    const window = windowAt(pass.hours.length ? pass.hours : site.openingHours, site.timeZone, at);
    if (!window) {
      wrongTime = true;
      continue;
    }
    const until = Math.min(window.to, dayEnd, pass.expiresAt.getTime());
    const verdict = grant('day_pass', `day pass ${pass.code} for ${date}`, memberId, until);
    return pass.spentToday ? verdict : { ...verdict, spendPass: { code: pass.code, date } };
  }

  return wrongTime
    ? deny('outside_hours', 'an entitlement opens this door, but not at this time', memberId)
    : deny('no_entitlement', 'no contract zone, booking or day pass opens this door', memberId);
}
