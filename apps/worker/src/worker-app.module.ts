import { DynamicModule, Module } from '@nestjs/common';
import { AccessModule } from '@cw/access';
import { AuthModule } from '@cw/auth';
import { BillingModule } from '@cw/billing';
import { ChurnModule } from '@cw/churn';
import { AppConfig, ConfigModule } from '@cw/config';
import { DatabaseMaintenanceModule, DatabaseModule } from '@cw/database';
import { HealthModule } from '@cw/health';
import { JobsModule } from '@cw/jobs';
import { KpiModule } from '@cw/kpi';
import { MembershipModule } from '@cw/membership';
import { MetricsModule } from '@cw/metrics';
import { MqttModule } from '@cw/mqtt';
import { ReportsModule } from '@cw/reports';
import { ClockModule, loggingModule } from '@cw/runtime';
import { WebhooksCoreModule } from '@cw/webhooks';

/**
 * The worker process: runs the background jobs it takes from BullMQ, any number of replicas side by side (job ids
 * dedupe what each schedules at boot): KPI upkeep, churn scores, monthly board reports, billing runs and overdue
 * reminders, the membership daily sweep, access grants publication (over the broker), webhook delivery and planner
 * statistics. An api with JOBS_PROCESS=none leaves these to it.
 *
 * The no-show decision timers stay in the api: a decision releases or checks in a booking, and the occupancy engine
 * that must hear that change (floor map state) lives in the api, reached by in-process booking events only.
 */
@Module({})
export class WorkerAppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: WorkerAppModule,
      imports: [
        // The api already re-emits other processes' stored events to the listeners these modules bring along.
        ConfigModule.fromConfig(config.withDuties({ relayStoredEvents: false })),
        loggingModule,
        ClockModule,
        DatabaseModule,
        DatabaseMaintenanceModule,
        MetricsModule,
        AuthModule,
        MqttModule,
        JobsModule,
        WebhooksCoreModule,
        MembershipModule,
        BillingModule,
        AccessModule,
        KpiModule,
        ChurnModule,
        ReportsModule,
        HealthModule,
      ],
    };
  }
}
