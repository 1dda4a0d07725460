/** Called for each inbound event message; the returned promise settles once the message is durably handled. */
export type InboundHandler = (topic: string, payload: Buffer) => Promise<void>;

export interface PublishOptions {
  qos: 0 | 1;
  retain?: boolean;
}

/**
 * The broker as the platform sees it: inbound event messages (acknowledged only after they are stored) and
 * outbound publishes (retained state, releases). The embedded broker and an external one implement it.
 */
export abstract class MqttTransport {
  /** Registers the ingest handler; a process that never calls this does not consume inbound topics. */
  abstract setInboundHandler(handler: InboundHandler): void;
  abstract publish(topic: string, payload: string | Buffer, options: PublishOptions): Promise<void>;
  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;
  /** Where devices connect (the embedded broker's real port once started). */
  abstract get url(): string;
}
