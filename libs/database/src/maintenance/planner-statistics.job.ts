import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { defineJob, JobQueue } from '@cw/jobs';
import { z } from 'zod';
import { Database } from '../database.port';
import { refreshPlannerStatistics } from './planner-statistics';

export const plannerStatisticsJob = defineJob('database.planner-statistics', z.object({}).strict());

/** Often enough that a burst of new bookings is planned on fresh statistics well before their grace ends. */
const EVERY_MS = 15_000;

/**
 * Keeps planner statistics fresh on a schedule, on both adapters (a TimescaleDB server also has autovacuum; the
 * embedded one has nothing else). Each run schedules the next; the job id is the time slot, so several processes on
 * one BullMQ queue run it once per slot.
 */
@Injectable()
export class PlannerStatisticsJob implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(PlannerStatisticsJob.name);

  constructor(
    private readonly db: Database,
    private readonly jobs: JobQueue,
  ) {}

  onModuleInit(): void {
    this.jobs.process(plannerStatisticsJob, async () => {
      try {
        const analyzed = await refreshPlannerStatistics(this.db);
        if (analyzed.length) this.logger.debug(`planner statistics refreshed: ${analyzed.join(', ')}`);
      } finally {
        await this.scheduleNext(Date.now() + EVERY_MS);
      }
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.scheduleNext(Date.now() + EVERY_MS);
  }

  private async scheduleNext(at: number): Promise<void> {
    const slot = Math.floor(at / EVERY_MS);
    await this.jobs
      .schedule(plannerStatisticsJob, {}, { jobId: `analyze-${slot}`, runAt: new Date(slot * EVERY_MS) })
      .catch((error: Error) => this.logger.warn(`planner statistics not scheduled: ${error.message}`));
  }
}
