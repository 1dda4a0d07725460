import { Logger } from '@nestjs/common';
import { connect, MqttClient, Packet } from 'mqtt';
import { InboundHandler, MqttTransport, PublishOptions } from './mqtt-transport';

export interface ExternalBrokerOptions {
  url: string;
  clientId: string;
  prefix: string;
  shareGroup: string;
}

type SendPacket = (packet: Packet, callback?: (error?: Error) => void, ...rest: unknown[]) => void;

/**
 * A client of an external broker (Mosquitto, EMQX, HiveMQ). Ingest processes share one subscription group so the
 * broker splits the load, and keep a persistent session so unacknowledged messages are redelivered after a
 * reconnect. Each PUBACK is held until its message is stored, while later messages keep flowing.
 */
export class ExternalBrokerTransport extends MqttTransport {
  private readonly logger = new Logger('ExternalBroker');
  private client: MqttClient | undefined;
  private handler: InboundHandler | undefined;
  private readonly heldAcks = new Map<number, Promise<boolean>>();
  private connection = 0;

  constructor(private readonly options: ExternalBrokerOptions) {
    super();
  }

  get url(): string {
    return this.options.url;
  }

  setInboundHandler(handler: InboundHandler): void {
    this.handler = handler;
  }

  async start(): Promise<void> {
    const consuming = this.handler !== undefined;
    const client = connect(this.options.url, {
      clientId: consuming ? this.options.clientId : `${this.options.clientId}-out`,
      protocolVersion: 5,
      // Only a consumer needs its session kept: it holds the messages not yet acknowledged.
      clean: !consuming,
      properties: consuming ? { sessionExpiryInterval: 3600 } : undefined,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
    });
    this.client = client;
    client.on('connect', () => {
      this.connection++;
      this.heldAcks.clear();
    });
    client.on('error', (error) => this.logger.warn(`MQTT client error: ${error.message}`));
    if (consuming) this.installAckGate(client);
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    if (consuming) {
      const share = `$share/${this.options.shareGroup}/${this.options.prefix}`;
      await client.subscribeAsync([`${share}/+/door/+`, `${share}/+/sensor/+`, `${share}/+/booking`], {
        qos: 1,
      });
      this.logger.log(`consuming ${share}/+/{door,sensor,booking} from ${redact(this.options.url)}`);
    }
  }

  async publish(topic: string, payload: string | Buffer, options: PublishOptions): Promise<void> {
    if (!this.client) throw new Error('MQTT client is not started');
    await this.client.publishAsync(topic, payload, { qos: options.qos, retain: options.retain ?? false });
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.endAsync();
  }

  /** Test hook: drops the TCP connection without a DISCONNECT, as a network fault would. */
  dropConnection(): void {
    this.client?.stream.destroy();
  }

  /**
   * mqtt.js sends a PUBACK as soon as `handleMessage` calls back, and reads no further packet until then. Calling
   * back at once and holding the PUBACK itself until the event is stored keeps both promises: throughput and no
   * acknowledgement before durability. A held ack from a previous connection is dropped, never sent on a new one,
   * since the broker will redeliver that message and message ids are reused.
   */
  private installAckGate(client: MqttClient): void {
    const handler = this.handler!;
    client.handleMessage = (packet: Packet, callback: (error?: Error) => void) => {
      if (packet.cmd === 'publish') {
        const publish = packet;
        const stored = handler(publish.topic, Buffer.from(publish.payload)).then(
          () => true,
          (error: Error) => {
            this.logger.error(`ingest failed for a message on ${publish.topic}: ${error.message}`);
            return false;
          },
        );
        if (publish.qos === 1 && publish.messageId !== undefined)
          this.heldAcks.set(publish.messageId, stored);
      }
      callback();
    };
    const internals = client as unknown as { _sendPacket: SendPacket };
    const send: SendPacket = internals._sendPacket.bind(client);
    internals._sendPacket = (packet, callback, ...rest) => {
      const messageId = (packet as { messageId?: number }).messageId;
      const held =
        packet.cmd === 'puback' && messageId !== undefined ? this.heldAcks.get(messageId) : undefined;
      if (!held) return send(packet, callback, ...rest);
      this.heldAcks.delete(messageId!);
      const connection = this.connection;
      callback?.();
      void held.then((ok) => {
        if (ok && connection === this.connection && client.connected) send(packet);
      });
    };
  }
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
