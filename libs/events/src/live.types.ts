/**
 * What the platform says about its resources, live: the shapes pushed on socket.io (`/live`, room `site:{site}`),
 * published as retained MQTT state and POSTed to webhooks. Times are ISO 8601 strings in UTC.
 */
export const RESOURCE_STATES = ['free', 'occupied', 'booked', 'awaiting_checkin', 'released'] as const;
export type ResourceStateName = (typeof RESOURCE_STATES)[number];

export interface ResourceState {
  siteId: string;
  resourceId: string;
  state: ResourceStateName;
  /** People present when a counter or sensors say so; null when unknown. */
  occupancy: number | null;
  /** The booking that makes it booked, awaiting check-in or released, if any. */
  bookingId: string | null;
  /** Event time of the change that led to this state. */
  since: string;
}

/** Sent on join, then kept current by `occupancy` deltas. */
export interface OccupancySnapshot {
  siteId: string;
  at: string;
  resources: ResourceState[];
}

/** socket.io `occupancy` event: one resource changed state. */
export interface OccupancyDelta extends ResourceState {
  previous: ResourceStateName;
}

export type ReleaseReason = 'no_show' | 'ghost';

/** A booking given back: socket.io `release`, MQTT `cw/{site}/release/{booking}`, webhook event `booking.released`. */
export interface BookingRelease {
  /** Stable per booking: a booking is released at most once, so this doubles as the idempotency key. */
  releaseId: string;
  siteId: string;
  bookingId: string;
  resourceId: string;
  memberId: string | null;
  reason: ReleaseReason;
  bookingStart: string;
  bookingEnd: string;
  /** Event time at which the decision was due (grace end, or the end of the empty period for a ghost). */
  decidedAt: string;
  /** Wall-clock time the release was recorded. */
  releasedAt: string;
}

export type AlertSeverity = 'info' | 'warning' | 'critical';

/** socket.io `alert` event: something a manager should look at (device offline, late check-in after release...). */
export interface LiveAlert {
  siteId: string;
  kind: string;
  severity: AlertSeverity;
  message: string;
  resourceId: string | null;
  at: string;
}

/** One live event inside a `batch`: the name and payload it has when sent on its own. */
export type LiveBatchedEvent =
  | { event: 'occupancy'; data: OccupancyDelta }
  | { event: 'release'; data: BookingRelease }
  | { event: 'alert'; data: LiveAlert };

/**
 * socket.io `batch` event, for sockets that joined with `batch: true`: the site's events of one turn of the server's
 * event loop, in the order they happened. A burst of 1,000 releases is then a few frames per client, not 2,000.
 */
export interface LiveBatch {
  siteId: string;
  events: LiveBatchedEvent[];
}

/** The socket.io contract of namespace `/live`. */
export interface LiveServerEvents {
  snapshot: (snapshot: OccupancySnapshot) => void;
  occupancy: (delta: OccupancyDelta) => void;
  release: (release: BookingRelease) => void;
  alert: (alert: LiveAlert) => void;
  batch: (batch: LiveBatch) => void;
}

export interface LiveClientEvents {
  join: (
    request: { site: string; batch?: boolean },
    ack: (reply: { ok: true } | { ok: false; error: string }) => void,
  ) => void;
  leave: (request: { site: string }) => void;
}
