import { LatenessProfile, PlanKind } from '../scenario/scenario.schema';
import { MeetingOutcome } from './meetings';

/**
 * The ground truth of a scenario run, one JSON object per line, each tagged with `type`. Times are ISO 8601 in
 * UTC and true simulated time (before any device clock skew). The order is fixed by the generator, so a seed
 * reproduces the file byte for byte.
 */

export interface RunRecord {
  type: 'run';
  scenario: string;
  seed: number;
  start: string;
  /** Null for an endless stream (load mode). */
  days: number | null;
  sites: string[];
}

export interface MemberRecord {
  type: 'member';
  site: string;
  member: string;
  plan: PlanKind;
  company: string | null;
  credential: string;
  desk: string | null;
  attendance: number;
  /** The member's last contract ends the day before; no visits from this date on. Null: never churns. */
  churnDate: string | null;
  /** First day of the fading visits. */
  declineFrom: string | null;
  lateness: { profile: LatenessProfile; meanDaysLate: number; sdDaysLate: number; missRate: number };
}

export interface DeviceRecord {
  type: 'device';
  site: string;
  device: string;
  deviceType: 'door' | 'sensor';
  /** The device's `ts` is the true time plus this. */
  skewMs: number;
}

export interface BookingRecord {
  type: 'booking';
  site: string;
  booking: string;
  resource: string;
  member: string;
  start: string;
  end: string;
  createdAt: string;
  cancelledAt: string | null;
  outcome: MeetingOutcome;
  /** When the booker really arrived; null for no-shows and cancellations. */
  arrivedAt: string | null;
  /** Ghost meetings: when the room emptied. */
  emptiedAt: string | null;
  /**
   * The earliest check-in evidence the platform actually received (door swipe of the booker, presence in the room,
   * explicit check-in) between 15 minutes before the start and the end, after noise: a missed or dropped reading
   * is no evidence, a false trigger is.
   */
  evidenceAt: string | null;
}

export interface PresenceRecord {
  type: 'presence';
  site: string;
  resource: string;
  member: string | null;
  from: string;
  to: string;
}

export interface VisitRecord {
  type: 'visit';
  site: string;
  member: string;
  from: string;
  to: string;
}

export interface ChurnRecord {
  type: 'churn';
  site: string;
  member: string;
  date: string;
  /** Local date of the last visit; null if the member never came during the run. */
  lastVisit: string | null;
}

export type NoiseKind = 'miss' | 'drop' | 'duplicate' | 'delay' | 'false_trigger' | 'counter';

/** One piece of device noise; `id` is the event it touched (for a miss, the id the reading would have had). */
export interface NoiseRecord {
  type: 'noise';
  site: string;
  noise: NoiseKind;
  device: string;
  /** `door` or the sensor kind. */
  kind: string;
  id: string;
  at: string;
  /** duplicate: when the copy was sent; delay: when the event was delivered. */
  sendAt?: string;
  delayMs?: number;
  reason?: 'out_of_order' | 'late';
  /** false_trigger: the id of the "empty again" reading and its time. */
  endId?: string;
  to?: string;
  /** counter: what went through the door, and what was reported. */
  trueValue?: number;
  value?: number;
}

export interface OfflineRecord {
  type: 'offline';
  site: string;
  device: string;
  from: string;
  to: string;
  /** Events the device would have sent in the window. */
  suppressed: number;
}

/** Per site and day: the exposure false-trigger rates are measured against. */
export interface ExposureRecord {
  type: 'exposure';
  site: string;
  date: string;
  /** Sum over presence sensors of the open hours their resource stood empty. */
  emptySensorHours: number;
}

export type TruthRecord =
  | RunRecord
  | MemberRecord
  | DeviceRecord
  | BookingRecord
  | PresenceRecord
  | VisitRecord
  | ChurnRecord
  | NoiseRecord
  | OfflineRecord
  | ExposureRecord;

export interface TruthSink {
  write(record: TruthRecord): void;
}
