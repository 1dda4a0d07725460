import { Module } from '@nestjs/common';
import { JobsModule } from '@cw/jobs';
import { PlannerStatisticsJob } from './planner-statistics.job';

/** Scheduled upkeep of the database itself, for processes that run jobs (the api of the embedded default, workers). */
@Module({ imports: [JobsModule], providers: [PlannerStatisticsJob] })
export class DatabaseMaintenanceModule {}
