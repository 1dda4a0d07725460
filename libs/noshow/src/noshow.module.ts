import { Module } from '@nestjs/common';
import { BookingModule } from '@cw/booking';
import { AppConfig } from '@cw/config';
import { IngestCoreModule } from '@cw/ingest';
import { JobsModule } from '@cw/jobs';
import { RealtimeCoreModule } from '@cw/realtime';
import { SitesModule } from '@cw/sites';
import { WebhooksCoreModule } from '@cw/webhooks';
import { DecisionTimers, InProcessDecisionTimers } from './decision-timers';
import { JobQueueDecisionTimers } from './job-queue.decision-timers';
import { MqttReleaseSink } from './mqtt-release.sink';
import { WebhookReleaseSink } from './webhook-release.sink';
import { LiveReleaseSink } from './live-release.sink';
import { NoShowEngine } from './noshow.engine';
import { NoShowRepository } from './noshow.repository';
import { NoShowPolicies } from './noshow-policies';
import { ReleasePublisher, RELEASE_SINKS, ReleaseSink } from './release.publisher';
import { ReleasesController } from './releases.controller';
import { NoShowPoliciesController } from './noshow-policies.controller';

@Module({
  imports: [BookingModule, IngestCoreModule, SitesModule, JobsModule, WebhooksCoreModule, RealtimeCoreModule],
  controllers: [ReleasesController, NoShowPoliciesController],
  providers: [
    NoShowRepository,
    NoShowPolicies,
    NoShowEngine,
    ReleasePublisher,
    MqttReleaseSink,
    WebhookReleaseSink,
    LiveReleaseSink,
    InProcessDecisionTimers,
    JobQueueDecisionTimers,
    {
      // Redis configured: timers live in BullMQ and survive the process; otherwise in-process, re-armed at boot.
      provide: DecisionTimers,
      inject: [AppConfig, InProcessDecisionTimers, JobQueueDecisionTimers],
      useFactory: (config: AppConfig, local: InProcessDecisionTimers, queued: JobQueueDecisionTimers) =>
        config.embeddedQueue ? local : queued,
    },
    {
      provide: RELEASE_SINKS,
      // Webhooks first: their rows must reach the database before the MQTT and socket.io fan-out takes the event loop.
      inject: [WebhookReleaseSink, MqttReleaseSink, LiveReleaseSink],
      useFactory: (...sinks: ReleaseSink[]) => sinks,
    },
  ],
  exports: [NoShowEngine, NoShowRepository, NoShowPolicies, ReleasePublisher],
})
export class NoShowModule {}
