import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@cw/auth';
import { AppConfig, ConfigModule } from '@cw/config';
import { DatabaseModule } from '@cw/database';
import { HealthModule } from '@cw/health';
import { IngestMqttModule } from '@cw/ingest';
import { MetricsModule } from '@cw/metrics';
import { MqttModule } from '@cw/mqtt';
import { ClockModule, loggingModule } from '@cw/runtime';

/** The ingest process: consumes the broker's event topics through a shared subscription; scale it out freely. */
@Module({})
export class IngestAppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: IngestAppModule,
      imports: [
        ConfigModule.fromConfig(config),
        loggingModule,
        ClockModule,
        DatabaseModule,
        MetricsModule,
        AuthModule,
        MqttModule,
        IngestMqttModule,
        HealthModule,
      ],
    };
  }
}
