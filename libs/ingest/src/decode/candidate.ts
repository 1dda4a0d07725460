import { BookingPayload, DoorPayload, EventSource, FieldError, SensorPayload } from '@cw/events';

/** A syntactically valid event, not yet mapped to resources nor time-checked. */
export type Candidate =
  | {
      type: 'door';
      siteId: string;
      deviceId: string;
      payload: DoorPayload;
      raw: string;
      topic: string | null;
    }
  | {
      type: 'sensor';
      siteId: string;
      deviceId: string;
      payload: SensorPayload;
      raw: string;
      topic: string | null;
    }
  | {
      type: 'booking';
      siteId: string;
      deviceId: null;
      payload: BookingPayload;
      raw: string;
      topic: string | null;
    };

/** One item of an inbound message or batch that could not be taken, with where it was and why. */
export interface Refusal {
  index: number;
  siteId: string | null;
  eventId: string | null;
  reason: string;
  errors: FieldError[];
  raw: string;
  topic: string | null;
  source: EventSource;
}
