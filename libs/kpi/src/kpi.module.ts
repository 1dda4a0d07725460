import { Module } from '@nestjs/common';
import { BookingModule } from '@cw/booking';
import { IngestCoreModule } from '@cw/ingest';
import { JobsModule } from '@cw/jobs';
import { SitesModule } from '@cw/sites';
import { KpiController, RetentionController } from './kpi.controller';
import { KpiProviderRegistry } from './kpi-providers';
import { KpiRepository } from './kpi.repository';
import { KpiService } from './kpi.service';
import { DirtyDaysTracker } from './materialise/dirty-days.tracker';
import { KpiMaintenance } from './materialise/maintenance.job';
import { MaterialiseRepository } from './materialise/materialise.repository';
import { Materialiser } from './materialise/materialiser';

@Module({
  imports: [SitesModule, IngestCoreModule, BookingModule, JobsModule],
  controllers: [KpiController, RetentionController],
  providers: [
    KpiRepository,
    KpiService,
    KpiProviderRegistry,
    MaterialiseRepository,
    Materialiser,
    KpiMaintenance,
    DirtyDaysTracker,
  ],
  exports: [KpiService, KpiProviderRegistry, Materialiser, KpiMaintenance, DirtyDaysTracker],
})
export class KpiModule {}
