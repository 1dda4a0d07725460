import { Injectable, OnModuleInit } from '@nestjs/common';
import { MqttTransport } from '@cw/mqtt';
import { IngestService } from '../ingest.service';

/** Makes this process an MQTT consumer: every inbound event message goes through the ingest path. */
@Injectable()
export class MqttIngestBridge implements OnModuleInit {
  constructor(
    private readonly transport: MqttTransport,
    private readonly ingest: IngestService,
  ) {}

  onModuleInit(): void {
    this.transport.setInboundHandler(async (topic, payload) => {
      await this.ingest.ingestMqtt(topic, payload);
    });
  }
}
