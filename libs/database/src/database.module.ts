import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@cw/config';
import { openDatabase } from './database.factory';
import { Database } from './database.port';
import { refreshPlannerStatistics } from './maintenance/planner-statistics';
import { migrate } from './migrations/migration-runner';

/** Opens the configured database and applies pending migrations before anything else starts. */
@Global()
@Module({
  providers: [
    {
      provide: Database,
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        const db = await openDatabase(config);
        await migrate(db);
        // Fresh statistics from the start: the embedded database never gathers them by itself.
        await refreshPlannerStatistics(db);
        return db;
      },
    },
  ],
  exports: [Database],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(Database) private readonly db: Database) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}
