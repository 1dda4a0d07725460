import { Injectable } from '@nestjs/common';
import { AppConfig } from '@cw/config';
import { BookingRelease } from '@cw/events';
import { MqttTransport } from '@cw/mqtt';
import { ReleaseSink } from './release.publisher';

/** `cw/{site}/release/{booking}` at QoS 1: booking systems on MQTT hear each release at least once. */
@Injectable()
export class MqttReleaseSink implements ReleaseSink {
  readonly name = 'mqtt';

  constructor(
    private readonly mqtt: MqttTransport,
    private readonly config: AppConfig,
  ) {}

  deliver(release: BookingRelease): Promise<void> {
    const topic = `${this.config.get('MQTT_TOPIC_PREFIX')}/${release.siteId}/release/${release.bookingId}`;
    return this.mqtt.publish(topic, JSON.stringify(release), { qos: 1 });
  }
}
