import { Injectable } from '@nestjs/common';
import { AppConfig } from '@cw/config';
import { OccupancyDelta, ResourceState } from '@cw/events';
import { MqttTransport } from '@cw/mqtt';

/** Where state changes go besides the database: socket.io, retained MQTT state. */
export interface OccupancySink {
  readonly name: string;
  changed(delta: OccupancyDelta): Promise<void>;
}

export const OCCUPANCY_SINKS = Symbol('OCCUPANCY_SINKS');

/** `cw/{site}/state/{resource}`, retained: a client subscribing later gets the current state at once. */
@Injectable()
export class MqttStateSink implements OccupancySink {
  readonly name = 'mqtt-state';

  constructor(
    private readonly mqtt: MqttTransport,
    private readonly config: AppConfig,
  ) {}

  changed(delta: OccupancyDelta): Promise<void> {
    const { previous: _previous, ...state } = delta;
    const payload: ResourceState = state;
    const topic = `${this.config.get('MQTT_TOPIC_PREFIX')}/${delta.siteId}/state/${delta.resourceId}`;
    return this.mqtt.publish(topic, JSON.stringify(payload), { qos: 1, retain: true });
  }
}
