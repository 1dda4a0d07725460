import { OutMessage } from './wire';

/** What the platform said about a batch; MQTT acknowledges delivery to the broker only, so it reports nothing. */
export interface BatchAnswer {
  accepted: number;
  duplicates: number;
  rejected: Array<{ index: number; errors?: unknown }>;
}

/** Sends one message and resolves once the other side acknowledged it. */
export interface Publisher {
  send(message: OutMessage): Promise<BatchAnswer | null>;
  /** Sends repeated after a transient failure, for transports that retry. */
  readonly retries?: number;
  close(force?: boolean): Promise<void>;
}

/** Serializes and forgets: what the bench measures as pure generation throughput. */
export class NullPublisher implements Publisher {
  bytes = 0;
  messages = 0;
  send(message: OutMessage): Promise<null> {
    this.bytes += message.body.length;
    this.messages++;
    return Promise.resolve(null);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
