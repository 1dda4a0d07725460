import { connectAsync, IClientOptions, MqttClient } from 'mqtt';
import { hashSeed } from '../random';
import { Publisher } from './publisher';
import { OutMessage } from './wire';

/** What the publisher needs of an MQTT client; tests pass a fake. */
export interface PublishingClient {
  publishAsync(topic: string, message: string, options: { qos: 1 }): Promise<unknown>;
  endAsync(force?: boolean): Promise<void>;
}

export interface MqttTransportOptions {
  url: string;
  username?: string;
  /** An API key; omitted for an anonymous broker. */
  password?: string;
  /** Parallel connections; a topic always uses the same one, so a device's events stay in order. */
  connections?: number;
  clientIdPrefix?: string;
  onError?: (error: Error) => void;
}

/** QoS 1: the broker acknowledges each message, which is what ack latency measures. */
export class MqttPublisher implements Publisher {
  private readonly route = new Map<string, PublishingClient>();

  constructor(private readonly clients: PublishingClient[]) {
    if (clients.length === 0) throw new Error('at least one MQTT connection is needed');
  }

  private clientFor(topic: string): PublishingClient {
    let client = this.route.get(topic);
    if (!client) {
      client = this.clients[hashSeed(topic) % this.clients.length];
      this.route.set(topic, client);
    }
    return client;
  }

  async send(message: OutMessage): Promise<null> {
    if (message.topic === null) throw new Error('an MQTT message needs a topic');
    await this.clientFor(message.topic).publishAsync(message.topic, message.body, { qos: 1 });
    return null;
  }

  async close(force = false): Promise<void> {
    await Promise.all(this.clients.map((c) => c.endAsync(force)));
  }
}

/** The first connections fail fast, so a wrong URL or key is reported at start; later drops reconnect by themselves. */
export async function connectMqttPublisher(options: MqttTransportOptions): Promise<MqttPublisher> {
  const count = options.connections ?? 1;
  const prefix = options.clientIdPrefix ?? `simulator-${process.pid}-${Date.now().toString(36)}`;
  const clients: MqttClient[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const clientOptions: IClientOptions = {
        username: options.username ?? 'simulator',
        password: options.password,
        clientId: `${prefix}-${i}`,
        connectTimeout: 10_000,
        reconnectPeriod: 1000,
      };
      const client = await connectAsync(options.url, clientOptions, false);
      // an 'error' event with no listener would throw and take the process down
      client.on('error', (error) => options.onError?.(error));
      clients.push(client);
    }
  } catch (error) {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    throw error;
  }
  return new MqttPublisher(clients);
}
