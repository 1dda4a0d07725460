/** Where a grant comes from: a contract's zones and hours, a booking's slot plus margins, or a day pass. */
export const ACCESS_GRANT_SOURCES = ['contract', 'booking', 'day_pass'] as const;
export type AccessGrantSource = (typeof ACCESS_GRANT_SOURCES)[number];

/** One time-bounded permission, as door systems take it: this credential opens these doors from `from` to `to`. */
export interface AccessGrant {
  /** The value the reader presents (card UID, mobile key id, PIN). */
  credential: string;
  member: string;
  doors: string[];
  /** ISO 8601, UTC. */
  from: string;
  to: string;
  source: AccessGrantSource;
}

export type DoorGrant = Omit<AccessGrant, 'doors'>;

/** Retained on `cw/{site}/access/grants/{door}`: what opens this door between `from` and `to`. */
export interface DoorGrantsMessage {
  siteId: string;
  doorId: string;
  generatedAt: string;
  from: string;
  to: string;
  grants: DoorGrant[];
}

/** The `access.grants` webhook: every grant of a site between `from` and `to`. */
export interface SiteGrantsNotice {
  siteId: string;
  generatedAt: string;
  from: string;
  to: string;
  grants: AccessGrant[];
}
