import { BookingPayload, DoorPayload, EventType, SensorPayload } from '@cw/events';

interface SimEventBase {
  /** Simulated event time; equal to the payload's `ts`. */
  at: Date;
  topic: string;
}

export type SimEvent =
  | (SimEventBase & { type: 'door'; payload: DoorPayload })
  | (SimEventBase & { type: 'sensor'; payload: SensorPayload })
  | (SimEventBase & { type: 'booking'; payload: BookingPayload });

export const DEFAULT_TOPIC_PREFIX = 'cw';

/** Topics as in DESIGN.md, "External contracts". */
export function topicFor(prefix: string, site: string, type: EventType, device?: string): string {
  return type === 'booking' ? `${prefix}/${site}/booking` : `${prefix}/${site}/${type}/${device ?? ''}`;
}

/** The event type a topic routes to, or null for a topic the platform would not accept as input. */
export function topicType(topic: string): EventType | null {
  const [, , kind, device, ...rest] = topic.split('/');
  if (rest.length > 0) return null;
  if (kind === 'booking' && device === undefined) return 'booking';
  if ((kind === 'door' || kind === 'sensor') && device) return kind;
  return null;
}

/** One JSON line per event, the form `--dry-run` prints and the determinism tests compare. */
export function serializeEvent(event: SimEvent): string {
  return JSON.stringify({ at: event.at.toISOString(), topic: event.topic, payload: event.payload });
}
