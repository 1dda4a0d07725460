import { Logger } from '@nestjs/common';
import { createServer, Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Aedes, Client } from 'aedes';
import { Principal } from '@cw/auth';
import { loadAedes } from './load-aedes';
import { InboundHandler, MqttTransport, PublishOptions } from './mqtt-transport';
import { mayPublish, maySubscribe } from './topic-acl';

export interface KeyVerifier {
  verify(token: string | undefined): Promise<Principal | null>;
}

const principals = new WeakMap<Client, Principal>();
const BAD_CREDENTIALS = 4;

/**
 * The in-process broker of the embedded default. Ingest runs inside `authorizePublish`, so the publisher's PUBACK
 * is sent only after the event (or its dead-letter row) is stored: an acknowledged event survives a crash.
 */
export class EmbeddedBrokerTransport extends MqttTransport {
  private readonly logger = new Logger('EmbeddedBroker');
  private broker: Aedes | undefined;
  private server: Server | undefined;
  private handler: InboundHandler | undefined;
  private port = 0;

  constructor(
    private readonly listenPort: number,
    private readonly prefix: string,
    private readonly keys: KeyVerifier,
  ) {
    super();
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  setInboundHandler(handler: InboundHandler): void {
    this.handler = handler;
  }

  async start(): Promise<void> {
    const { Aedes } = loadAedes();
    this.broker = await Aedes.createBroker({
      authenticate: (client, _username, password, done) => {
        this.keys.verify(password?.toString('utf8')).then(
          (principal) => {
            if (!principal)
              return done(Object.assign(new Error('bad API key'), { returnCode: BAD_CREDENTIALS }), false);
            principals.set(client, principal);
            done(null, true);
          },
          (error: Error) => done(Object.assign(error, { returnCode: 3 }), false),
        );
      },
      authorizePublish: (client, packet, callback) =>
        this.authorizePublish(client, packet.topic, packet.payload, callback),
      authorizeSubscribe: (client, subscription, callback) => {
        const principal = principals.get(client);
        callback(
          null,
          principal && maySubscribe(principal, subscription.topic, this.prefix) ? subscription : null,
        );
      },
    });
    this.server = createServer(this.broker.handle);
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.listenPort, '0.0.0.0', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.logger.log(`embedded MQTT broker listening on port ${this.port}`);
  }

  async publish(topic: string, payload: string | Buffer, options: PublishOptions): Promise<void> {
    const broker = this.broker;
    if (!broker) throw new Error('embedded broker is not started');
    await new Promise<void>((resolve, reject) =>
      broker.publish(
        {
          cmd: 'publish',
          topic,
          payload: typeof payload === 'string' ? Buffer.from(payload) : payload,
          qos: options.qos,
          retain: options.retain ?? false,
          dup: false,
        },
        (error) => (error ? reject(error) : resolve()),
      ),
    );
  }

  async stop(): Promise<void> {
    const server = this.server;
    const broker = this.broker;
    this.server = undefined;
    this.broker = undefined;
    if (broker) await new Promise<void>((resolve) => broker.close(() => resolve()));
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private authorizePublish(
    client: Client | null,
    topic: string,
    payload: Buffer | string,
    callback: (error?: Error | null) => void,
  ): void {
    // The platform's own publishes (retained state, releases) come with no client.
    if (!client) return callback(null);
    const principal = principals.get(client);
    if (!principal || !mayPublish(principal, topic, this.prefix)) {
      this.logger.warn(`refused publish to ${topic} by ${principal ? principal.keyId : 'unknown client'}`);
      return callback(new Error(`not authorised to publish to ${topic}`));
    }
    const handler = this.handler;
    if (!handler) return callback(null);
    handler(topic, typeof payload === 'string' ? Buffer.from(payload) : payload).then(
      () => callback(null),
      (error: Error) => {
        this.logger.error(`ingest failed for a message on ${topic}: ${error.message}`);
        callback(error);
      },
    );
  }
}
