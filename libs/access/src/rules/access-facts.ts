import { WeeklySlot } from '../time/weekly-hours';

/** What a decision at one door of a site needs to know about the site (cached per site). */
export interface SiteAccessFacts {
  timeZone: string;
  openingHours: WeeklySlot[];
  /** How long before a booking's start and after its end its booker may pass the doors serving it. */
  bookingMarginMs: number;
}

export interface DoorFacts {
  id: string;
  /** Access zones holding this door. */
  zoneIds: string[];
  /** Resources the door serves (devices.resource_ids). */
  resourceIds: string[];
}

export type MemberStatus = 'active' | 'offboarded' | 'erased';

/** What the database knows about the presented credential and its holder, read in one query. */
export interface HolderFacts {
  credential: {
    id: string;
    kind: 'card' | 'mobile' | 'pin';
    memberId: string;
    revokedAt: Date | null;
    revokeReason: string | null;
  } | null;
  memberStatus: MemberStatus | null;
  /** The member's contract active on the local date of the decision, with its plan's access. */
  contract: {
    id: string;
    planId: string;
    /** Exclusive end date (local), null when open-ended. */
    endDate: string | null;
    zones: string[];
    hours: WeeklySlot[];
  } | null;
  /** The member's confirmed or checked-in bookings of resources the door serves, near the decision time. */
  bookings: { id: string; resourceId: string; start: Date; end: Date }[];
  /** The member's unexpired day passes with days left, or spent on the decision's local date. */
  passes: {
    code: string;
    balance: number;
    expiresAt: Date;
    spentToday: boolean;
    /** The pass's plan access; no zones: every door of the site. */
    zones: string[];
    hours: WeeklySlot[];
  }[];
}
