import { DynamicModule, Module, Type } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { BillingModule } from '@cw/billing';
import { BookingModule, BookingPricer, FlatBookingPricer } from '@cw/booking';
import { AppConfig, ConfigModule, loadConfig } from '@cw/config';
import { CreditsModule } from '@cw/credits';
import { Database } from '@cw/database';
import { JobsModule } from '@cw/jobs';
import { MetricsModule } from '@cw/metrics';
import { MembershipModule } from '@cw/membership';
import { ClockModule } from '@cw/runtime';
import { SitesCoreModule } from '@cw/sites';
import { BorrowedDatabase } from './borrowed-database';

/**
 * Stands in for DatabaseModule: the test's database as it is, without the boot migration (which would apply the
 * TimescaleDB-only migrations the native server cannot run) and without closing it at shutdown.
 */
@Module({})
class GivenDatabaseModule {
  static of(db: Database): DynamicModule {
    return {
      module: GivenDatabaseModule,
      global: true,
      providers: [{ provide: Database, useValue: new BorrowedDatabase(db) }],
      exports: [Database],
    };
  }
}

export interface NativeCore {
  get<T>(type: Type<T>): T;
  close(): Promise<void>;
}

/**
 * Membership, credits, bookings and billing with their own dependencies only, over the given database: no HTTP,
 * broker, KPIs or access. Bookings are priced flat: the dynamic pricer reads the KPI continuous aggregates, which
 * exist on TimescaleDB alone.
 */
export async function startNativeCore(db: Database): Promise<NativeCore> {
  const config = new AppConfig(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }));
  const moduleRef: TestingModule = await Test.createTestingModule({
    imports: [
      ConfigModule.fromConfig(config),
      ClockModule,
      GivenDatabaseModule.of(db),
      JobsModule,
      // The booking module reaches ingest (external bookings), which counts what it stores.
      MetricsModule,
      SitesCoreModule,
      MembershipModule,
      CreditsModule,
      BookingModule,
      BillingModule,
    ],
  })
    .overrideProvider(BookingPricer)
    .useClass(FlatBookingPricer)
    .compile();
  // Services log their runs through Nest's logger; a test output of "billing run done" lines helps no one.
  moduleRef.useLogger(false);
  await moduleRef.init();
  return {
    get: <T>(type: Type<T>) => moduleRef.get(type, { strict: false }),
    close: () => moduleRef.close(),
  };
}
