import { DynamicModule, Module } from '@nestjs/common';
import { AccessModule } from '@cw/access';
import { AuthModule } from '@cw/auth';
import { BillingModule } from '@cw/billing';
import { BookingModule } from '@cw/booking';
import { ChurnModule } from '@cw/churn';
import { CreditsModule } from '@cw/credits';
import { AppConfig, ConfigModule } from '@cw/config';
import { DatabaseMaintenanceModule, DatabaseModule } from '@cw/database';
import { DemoModule } from '@cw/demo';
import { HealthModule } from '@cw/health';
import { IngestHttpModule, IngestMqttModule } from '@cw/ingest';
import { MembershipModule } from '@cw/membership';
import { MetricsModule } from '@cw/metrics';
import { MqttModule } from '@cw/mqtt';
import { JobsModule, JobsPlacementModule } from '@cw/jobs';
import { KpiModule } from '@cw/kpi';
import { WebhooksModule } from '@cw/webhooks';
import { NoShowModule, noShowDecisionJob } from '@cw/noshow';
import { OccupancyEngine, OccupancyModule } from '@cw/occupancy';
import { PricingModule } from '@cw/pricing';
import { RealtimeModule } from '@cw/realtime';
import { ReportsModule } from '@cw/reports';
import { DashboardsModule } from '@cw/dashboards';
import { ClockModule, loggingModule } from '@cw/runtime';
import { SitesModule } from '@cw/sites';

/**
 * The api process. On the embedded default (no DATABASE_URL) it is the whole platform in one process: the embedded
 * database and broker cannot be shared between processes, so ingest and worker duties are composed in here. Beside
 * apps/worker, JOBS_PROCESS=none leaves the background jobs to it: the api only queues them.
 */
@Module({})
export class ApiAppModule {
  static register(config: AppConfig): DynamicModule {
    const embedded = config.embeddedDatabase;
    return {
      module: ApiAppModule,
      imports: [
        ConfigModule.fromConfig(config),
        loggingModule,
        ClockModule,
        DatabaseModule,
        DatabaseMaintenanceModule,
        MetricsModule,
        AuthModule,
        MqttModule,
        SitesModule,
        IngestHttpModule,
        JobsModule,
        // Kept here even with JOBS_PROCESS=none: a no-show decision changes a booking, and the occupancy engine of this
        // process hears booking changes in-process only; the worker runs no such engine.
        JobsPlacementModule.keepHere([noShowDecisionJob.name]),
        WebhooksModule,
        BookingModule,
        MembershipModule,
        CreditsModule,
        BillingModule,
        AccessModule,
        NoShowModule,
        ChurnModule,
        PricingModule,
        OccupancyModule,
        KpiModule,
        ReportsModule,
        RealtimeModule.forRoot({
          imports: [OccupancyModule],
          snapshotSource: { useExisting: OccupancyEngine },
        }),
        DashboardsModule,
        HealthModule,
        ...(embedded || config.embeddedBroker ? [IngestMqttModule] : []),
        ...(config.get('DEMO') ? [DemoModule] : []),
      ],
    };
  }
}
