import { BookingPayload, DoorPayload, SensorPayload } from '@cw/events';

interface EventBase {
  site: string;
  /** True simulated time of what happened, epoch ms; the payload's `ts` adds the device's clock skew. */
  at: number;
  /** Simulated time the device delivers it: `at`, or later for late and out-of-order delivery. */
  sendAt: number;
  topic: string;
}

/** One event of a scenario run, in the order the stream delivers it (by `sendAt`). */
export type ScenarioEvent =
  | (EventBase & { type: 'door'; device: string; payload: DoorPayload })
  | (EventBase & { type: 'sensor'; device: string; payload: SensorPayload })
  | (EventBase & { type: 'booking'; device: null; payload: BookingPayload });

/** `door`, `sensor:<kind>` or `booking:<status>`: the key of the per-type counts in summaries. */
export function eventKind(event: ScenarioEvent): string {
  switch (event.type) {
    case 'door':
      return 'door';
    case 'sensor':
      return `sensor:${event.payload.kind}`;
    case 'booking':
      return `booking:${event.payload.status}`;
  }
}

/** One JSON line per event: what `--dry-run` prints and the determinism tests compare. */
export function serializeScenarioEvent(event: ScenarioEvent): string {
  return JSON.stringify({
    sendAt: new Date(event.sendAt).toISOString(),
    topic: event.topic,
    payload: event.payload,
  });
}
