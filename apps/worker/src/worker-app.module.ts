import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@cw/auth';
import { AppConfig, ConfigModule } from '@cw/config';
import { DatabaseMaintenanceModule, DatabaseModule } from '@cw/database';
import { HealthModule } from '@cw/health';
import { MetricsModule } from '@cw/metrics';
import { ClockModule, loggingModule } from '@cw/runtime';

/**
 * The worker process: background jobs (timers, refreshes, billing runs) land here as their issues are built. Today
 * it applies migrations and serves health and metrics, so the production topology is complete from the start.
 */
@Module({})
export class WorkerAppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: WorkerAppModule,
      imports: [
        ConfigModule.fromConfig(config),
        loggingModule,
        ClockModule,
        DatabaseModule,
        DatabaseMaintenanceModule,
        MetricsModule,
        AuthModule,
        HealthModule,
      ],
    };
  }
}
