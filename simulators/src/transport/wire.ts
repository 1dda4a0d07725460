import { ScenarioEvent } from '../engine/scenario-event';

/** What one publish or POST carries: `topic` for MQTT, null for an HTTP batch. */
export interface OutMessage {
  topic: string | null;
  body: string;
  events: number;
}

const heads = new Map<string, string>();

/**
 * One item of `POST /v1/events`: the payload with the routing MQTT puts in the topic (`type`, `site`, `door` or
 * `sensor`) in front. Built as a string from the serialized payload, with the head cached per topic: spreading
 * every payload into a new object would cost more than generating it.
 */
export function httpItem(event: ScenarioEvent): string {
  let head = heads.get(event.topic);
  if (head === undefined) {
    const routing =
      event.type === 'booking'
        ? { type: event.type, site: event.site }
        : { type: event.type, site: event.site, [event.type]: event.device };
    head = JSON.stringify(routing).slice(0, -1) + ',';
    heads.set(event.topic, head);
  }
  return head + JSON.stringify(event.payload).slice(1);
}

/** An MQTT payload: one event as an object, several as an array (both are in the contract). */
export function mqttBody(payloads: readonly string[]): string {
  return payloads.length === 1 ? payloads[0] : `[${payloads.join(',')}]`;
}
