import { Module } from '@nestjs/common';
import { BookingModule } from '@cw/booking';
import { IngestCoreModule } from '@cw/ingest';
import { DecisionTimers, InProcessDecisionTimers } from './decision-timers';
import { MqttReleaseSink } from './mqtt-release.sink';
import { NoShowEngine } from './noshow.engine';
import { NoShowRepository } from './noshow.repository';
import { ReleasePublisher, RELEASE_SINKS, ReleaseSink } from './release.publisher';
import { ReleasesController } from './releases.controller';

@Module({
  imports: [BookingModule, IngestCoreModule],
  controllers: [ReleasesController],
  providers: [
    NoShowRepository,
    NoShowEngine,
    ReleasePublisher,
    MqttReleaseSink,
    { provide: DecisionTimers, useClass: InProcessDecisionTimers },
    { provide: RELEASE_SINKS, inject: [MqttReleaseSink], useFactory: (...sinks: ReleaseSink[]) => sinks },
  ],
  exports: [NoShowEngine, NoShowRepository, ReleasePublisher],
})
export class NoShowModule {}
