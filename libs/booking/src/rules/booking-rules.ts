import { DomainError, forbidden, invalid } from '@cw/common';
import { OpeningSlot, withinOpeningHours } from './opening-hours';

export const BOOKING_WHO = ['members', 'anyone', 'staff'] as const;

export interface BookingRule {
  resourceKind: string;
  /** members: holders of a plan (or pass) that allows the kind; anyone: members and guests; staff: staff only */
  who: (typeof BOOKING_WHO)[number];
  minLeadMinutes: number;
  maxAdvanceDays: number;
  maxLengthMinutes: number;
  withinOpeningHours: boolean;
  freeCancelMinutes: number;
}

/** What applies when a site has no rule for the kind and no site default (the table's column defaults). */
export const DEFAULT_RULE: Omit<BookingRule, 'resourceKind'> = {
  who: 'members',
  minLeadMinutes: 0,
  maxAdvanceDays: 90,
  maxLengthMinutes: 480,
  withinOpeningHours: true,
  freeCancelMinutes: 60,
};

/** A booking asked for "now" reaches the server a moment after its start; this much lateness still counts as now. */
export const NOW_TOLERANCE_MS = 60_000;

export type Booker =
  { kind: 'member'; memberId: string; status: string; bookableKinds: string[] } | { kind: 'guest' };

export interface RuleCheck {
  rule: BookingRule;
  resource: { id: string; kind: string; bookable: boolean };
  booker: Booker;
  /** The caller is an admin or manager. */
  byStaff: boolean;
  start: Date;
  end: Date;
  now: Date;
  timeZone: string;
  openingHours: OpeningSlot[];
}

/** Why this booking may not be made, or undefined when the rules allow it. */
export function bookingRefusal(c: RuleCheck): DomainError | undefined {
  const { rule, resource, booker } = c;
  if (!resource.bookable)
    return invalid(`resource ${resource.id} cannot be booked`, [
      { path: 'resource', message: 'not bookable' },
    ]);
  if (booker.kind === 'member' && booker.status !== 'active')
    return forbidden(`member ${booker.memberId} is ${booker.status} and cannot book`);
  switch (rule.who) {
    case 'staff':
      if (!c.byStaff) return forbidden(`only staff may book a ${resource.kind}`);
      break;
    case 'members':
      if (booker.kind === 'guest')
        return forbidden(`guests may not book a ${resource.kind}; only members may`);
      if (!booker.bookableKinds.includes(resource.kind))
        return forbidden(
          `member ${booker.memberId} holds no plan or pass that allows booking a ${resource.kind}`,
        );
      break;
    case 'anyone':
      break;
  }
  const lengthMinutes = (c.end.getTime() - c.start.getTime()) / 60_000;
  if (lengthMinutes > rule.maxLengthMinutes)
    return invalid(`a ${resource.kind} booking may last at most ${rule.maxLengthMinutes} minutes`, [
      { path: 'end', message: `at most ${rule.maxLengthMinutes} minutes after start` },
    ]);
  const leadMs = c.start.getTime() - c.now.getTime();
  if (leadMs < rule.minLeadMinutes * 60_000 - NOW_TOLERANCE_MS) {
    return invalid(
      rule.minLeadMinutes > 0
        ? `a ${resource.kind} must be booked at least ${rule.minLeadMinutes} minutes ahead`
        : 'the booking starts in the past',
      [
        {
          path: 'start',
          message:
            rule.minLeadMinutes > 0 ? `at least ${rule.minLeadMinutes} minutes from now` : 'in the past',
        },
      ],
    );
  }
  if (leadMs > rule.maxAdvanceDays * 86_400_000)
    return invalid(`a ${resource.kind} may be booked at most ${rule.maxAdvanceDays} days ahead`, [
      { path: 'start', message: `at most ${rule.maxAdvanceDays} days from now` },
    ]);
  if (rule.withinOpeningHours && !withinOpeningHours(c.start, c.end, c.openingHours, c.timeZone))
    return invalid(`the booking falls outside the site's opening hours (${c.timeZone})`, [
      { path: 'start', message: 'the whole booking must be within opening hours' },
    ]);
  return undefined;
}

/** A cancellation at or before this instant gives back everything the booking took. */
export function freeCancelDeadline(start: Date, rule: Pick<BookingRule, 'freeCancelMinutes'>): Date {
  return new Date(start.getTime() - rule.freeCancelMinutes * 60_000);
}
