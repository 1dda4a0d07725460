import { Module } from '@nestjs/common';
import { BookingModule } from '@cw/booking';
import { IngestCoreModule } from '@cw/ingest';
import { NoShowModule } from '@cw/noshow';
import { RealtimeCoreModule } from '@cw/realtime';
import { SitesModule } from '@cw/sites';
import { ChangeLogWriter } from './change-log.writer';
import { GhostWatchSink } from './ghost-watch.sink';
import { LiveOccupancySink } from './live-occupancy.sink';
import { OccupancyController } from './occupancy.controller';
import { OccupancyEngine } from './occupancy.engine';
import { OccupancyRepository } from './occupancy.repository';
import { MqttStateSink, OCCUPANCY_SINKS, OccupancySink } from './occupancy.sinks';

@Module({
  imports: [SitesModule, BookingModule, NoShowModule, IngestCoreModule, RealtimeCoreModule],
  controllers: [OccupancyController],
  providers: [
    OccupancyRepository,
    ChangeLogWriter,
    OccupancyEngine,
    MqttStateSink,
    GhostWatchSink,
    LiveOccupancySink,
    {
      provide: OCCUPANCY_SINKS,
      inject: [MqttStateSink, LiveOccupancySink, GhostWatchSink],
      useFactory: (...sinks: OccupancySink[]) => sinks,
    },
  ],
  exports: [OccupancyEngine],
})
export class OccupancyModule {}
