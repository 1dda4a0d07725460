import { Module } from '@nestjs/common';
import { BookingModule } from '@cw/booking';
import { CreditsModule } from '@cw/credits';
import { IngestCoreModule } from '@cw/ingest';
import { JobsModule } from '@cw/jobs';
import { SitesModule } from '@cw/sites';
import { WebhooksCoreModule } from '@cw/webhooks';
import { AccessDirectory } from './access-directory';
import { AccessDecider } from './access.decider';
import { AccessEvents } from './access.events';
import { AccessRepository } from './access.repository';
import { AccessService } from './access.service';
import { AccessDecisionsController } from './controllers/access-decisions.controller';
import { AccessGrantsController } from './controllers/access-grants.controller';
import { AccessSettingsController } from './controllers/access-settings.controller';
import { AccessZonesController } from './controllers/access-zones.controller';
import { CredentialsController } from './controllers/credentials.controller';
import { GrantsPublisher } from './grants/grants.publisher';
import { GrantsScheduler } from './grants/grants.scheduler';
import { GrantsService } from './grants/grants.service';

/** Zones, credentials, access decisions and the grants export (DESIGN.md, Rules: Access). */
@Module({
  imports: [SitesModule, IngestCoreModule, BookingModule, CreditsModule, JobsModule, WebhooksCoreModule],
  controllers: [
    AccessZonesController,
    CredentialsController,
    AccessSettingsController,
    AccessDecisionsController,
    AccessGrantsController,
  ],
  providers: [
    AccessRepository,
    AccessDirectory,
    AccessEvents,
    AccessService,
    AccessDecider,
    GrantsService,
    GrantsPublisher,
    GrantsScheduler,
  ],
  exports: [AccessService, AccessDecider, AccessEvents, GrantsService, GrantsPublisher],
})
export class AccessModule {}
