import { ScenarioEvent } from '../engine/scenario-event';
import { httpItem, mqttBody, OutMessage } from './wire';

/** Gathers events into messages: full ones as they fill, the rest on `flush`. */
export interface Outbox {
  add(event: ScenarioEvent): void;
  /** Messages that reached their size since the last call. */
  full(): OutMessage[];
  /** Every message, full or not. */
  flush(): OutMessage[];
  readonly buffered: number;
}

/** The batch limit of POST /v1/events. */
export const HTTP_MAX_BATCH = 5000;

/** Mixed events in batches of up to `size` for POST /v1/events. */
export class HttpOutbox implements Outbox {
  private items: string[] = [];
  private ready: OutMessage[] = [];

  constructor(private readonly size: number = HTTP_MAX_BATCH) {
    if (!(size >= 1 && size <= HTTP_MAX_BATCH))
      throw new Error(`batch size must be 1 to ${HTTP_MAX_BATCH}, got ${size}`);
  }

  get buffered(): number {
    return this.items.length;
  }

  add(event: ScenarioEvent): void {
    this.items.push(httpItem(event));
    if (this.items.length >= this.size) this.seal();
  }

  private seal(): void {
    if (this.items.length === 0) return;
    this.ready.push({ topic: null, body: `[${this.items.join(',')}]`, events: this.items.length });
    this.items = [];
  }

  full(): OutMessage[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }

  flush(): OutMessage[] {
    this.seal();
    return this.full();
  }
}

/** Events per topic (one device each), sent as arrays of up to `size`; a device's events keep their order. */
export class MqttOutbox implements Outbox {
  private readonly topics = new Map<string, string[]>();
  private ready: OutMessage[] = [];
  private count = 0;

  constructor(private readonly size: number = 100) {
    if (!(size >= 1)) throw new Error(`array size must be at least 1, got ${size}`);
  }

  get buffered(): number {
    return this.count;
  }

  add(event: ScenarioEvent): void {
    let list = this.topics.get(event.topic);
    if (!list) {
      list = [];
      this.topics.set(event.topic, list);
    }
    list.push(JSON.stringify(event.payload));
    this.count++;
    if (list.length >= this.size) this.seal(event.topic, list);
  }

  private seal(topic: string, list: string[]): void {
    this.ready.push({ topic, body: mqttBody(list), events: list.length });
    this.count -= list.length;
    this.topics.delete(topic);
  }

  full(): OutMessage[] {
    const out = this.ready;
    this.ready = [];
    return out;
  }

  flush(): OutMessage[] {
    for (const [topic, list] of this.topics) this.seal(topic, list);
    return this.full();
  }
}
