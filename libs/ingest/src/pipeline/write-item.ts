import { PlatformEvent, RejectedEvent } from '@cw/events';

/** What the batcher carries: an event to store, or a refusal to keep in the dead-letter table. */
export type WriteItem =
  { kind: 'event'; event: PlatformEvent } | { kind: 'rejected'; rejected: RejectedEvent };

export type WriteOutcome = 'stored' | 'duplicate' | 'dead_lettered';

export function eventKey(event: { siteId: string; eventId: string }): string {
  return `${event.siteId}\u0000${event.eventId}`;
}
