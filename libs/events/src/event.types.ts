import { BookingPayload, DoorPayload, SensorPayload } from './event.schemas';

/** Where an event came from; the same rules apply to both doors. */
export type EventSource = 'mqtt' | 'http';

interface Stamped {
  siteId: string;
  eventId: string;
  /** Event time used by every engine: device time, clamped when the device clock ran ahead. */
  ts: Date;
  deviceTs: Date;
  receivedAt: Date;
  /** How far ahead of the receive time the device clock was, when it was clamped. */
  clockSkewMs: number | null;
}

export interface DoorEvent extends Stamped {
  type: 'door';
  doorId: string;
  resourceIds: string[];
  payload: DoorPayload;
}

export interface SensorReading extends Stamped {
  type: 'sensor';
  sensorId: string;
  resourceId: string | null;
  payload: SensorPayload;
}

/** Where an event came in and as what: kept so a refusal found later can still be dead-lettered whole. */
export interface EventOrigin {
  source: EventSource;
  topic: string | null;
  raw: string;
}

export interface BookingEvent extends Stamped {
  type: 'booking';
  payload: BookingPayload;
  /** Set by ingest: a booking event can still be refused when applied (an overlap), after it was stored. */
  origin?: EventOrigin;
}

/** A validated, mapped, time-checked event ready to be written. */
export type PlatformEvent = DoorEvent | SensorReading | BookingEvent;

export interface FieldError {
  path: string;
  message: string;
}

/** What could not be taken, kept whole for the dead-letter table. */
export interface RejectedEvent {
  receivedAt: Date;
  siteId: string | null;
  source: EventSource;
  topic: string | null;
  eventId: string | null;
  reason: string;
  errors: FieldError[];
  raw: string;
}
