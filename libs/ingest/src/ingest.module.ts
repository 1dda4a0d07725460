import { Module } from '@nestjs/common';
import { DeviceDirectory, SitesModule } from '@cw/sites';
import { EventsController } from './http/events.controller';
import { IngestRepository } from './ingest.repository';
import { DEVICE_LOOKUP, IngestService } from './ingest.service';
import { StoredEventsBus } from './stored-events.bus';
import { StoredEventsFeed } from './stored-events.feed';
import { MqttIngestBridge } from './mqtt/mqtt-ingest.bridge';

/** The ingest path itself, shared by both doors. */
@Module({
  imports: [SitesModule],
  providers: [
    IngestRepository,
    IngestService,
    StoredEventsBus,
    StoredEventsFeed,
    { provide: DEVICE_LOOKUP, useExisting: DeviceDirectory },
  ],
  exports: [IngestService, StoredEventsBus],
})
export class IngestCoreModule {}

/** `POST /v1/events`, served by the api process. */
@Module({ imports: [IngestCoreModule], controllers: [EventsController] })
export class IngestHttpModule {}

/** Consumes inbound MQTT topics, in the ingest process (or the single embedded process). */
@Module({ imports: [IngestCoreModule], providers: [MqttIngestBridge] })
export class IngestMqttModule {}
