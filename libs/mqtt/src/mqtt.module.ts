import { Global, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { hostname } from 'node:os';
import { ApiKeysService, AuthCoreModule } from '@cw/auth';
import { AppConfig } from '@cw/config';
import { EmbeddedBrokerTransport } from './embedded-broker.transport';
import { ExternalBrokerTransport } from './external-broker.transport';
import { MqttTransport } from './mqtt-transport';

/** `MQTT_URL` unset: the in-process broker; set: a client of that broker. Started once every handler is registered. */
@Global()
@Module({
  imports: [AuthCoreModule],
  providers: [
    {
      provide: MqttTransport,
      inject: [AppConfig, ApiKeysService],
      useFactory: (config: AppConfig, keys: ApiKeysService): MqttTransport => {
        const prefix = config.get('MQTT_TOPIC_PREFIX');
        const url = config.get('MQTT_URL');
        if (!url) return new EmbeddedBrokerTransport(config.get('MQTT_PORT'), prefix, keys);
        return new ExternalBrokerTransport({
          url,
          prefix,
          shareGroup: config.get('MQTT_SHARE_GROUP'),
          clientId:
            config.get('MQTT_CLIENT_ID') ?? `cw-${hostname().replace(/[^a-zA-Z0-9_-]/g, '')}-${process.pid}`,
        });
      },
    },
  ],
  exports: [MqttTransport],
})
export class MqttModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(MqttTransport) private readonly transport: MqttTransport) {}

  onApplicationBootstrap(): Promise<void> {
    return this.transport.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.transport.stop();
  }
}
