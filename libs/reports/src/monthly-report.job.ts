import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Clock } from '@cw/common';
import { defineJob, JobQueue } from '@cw/jobs';
import { z } from 'zod';
import { localMonth, previousMonth } from './month';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

export const monthlyReportJob = defineJob('reports.monthly', z.object({ hour: z.string() }).strict());

const HOUR_MS = 3_600_000;
const hourKey = (at: Date) =>
  at
    .toISOString()
    .slice(0, 13)
    .replace(/[^0-9]/g, '');

/**
 * Generates last month's board report of each site once its month has ended there. Sites sit in different zones, so
 * the job wakes every hour (by the injected clock) and generates only what is missing: the first wake-up on the 1st
 * makes the report, later ones, a second process or a restart find it and do nothing. A platform that was down on
 * the 1st catches up at its next wake-up. Months that ended before the site was created get no report.
 */
@Injectable()
export class MonthlyReportJob implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MonthlyReportJob.name);
  private pending: string | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly queue: JobQueue,
    private readonly clock: Clock,
    private readonly repo: ReportsRepository,
    private readonly reports: ReportsService,
  ) {}

  onModuleInit(): void {
    this.queue.process(monthlyReportJob, async () => {
      try {
        await this.runOnce();
      } finally {
        await this.scheduleNext();
      }
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    // A clock set by a simulation jumps: the next wake-up is re-planned on the new time.
    this.unsubscribe = this.clock.on('changed', () => {
      this.scheduleNext().catch((error: Error) =>
        this.logger.error(`re-planning the report job: ${error.message}`),
      );
    });
    const now = this.clock.now();
    this.pending = `reports.monthly.${hourKey(now)}`;
    await this.queue.schedule(monthlyReportJob, { hour: hourKey(now) }, { jobId: this.pending });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** Generates each site's report of the month that last ended there, where missing; the sites and months made. */
  async runOnce(): Promise<{ siteId: string; month: string }[]> {
    const now = this.clock.now();
    const made: { siteId: string; month: string }[] = [];
    for (const site of await this.repo.sites()) {
      const month = previousMonth(localMonth(now, site.timeZone));
      if (localMonth(site.createdAt, site.timeZone) > month) continue;
      try {
        if (await this.reports.ensureReport(site.id, month)) made.push({ siteId: site.id, month });
      } catch (error) {
        // One site's failure must not hold back the others; it is tried again at the next wake-up.
        this.logger.error(`board report ${month} of site ${site.id} failed: ${(error as Error).message}`);
      }
    }
    for (const { siteId, month } of made)
      this.logger.log(`board report ${month} of site ${siteId} generated`);
    return made;
  }

  private async scheduleNext(): Promise<void> {
    const next = new Date((Math.floor(this.clock.now().getTime() / HOUR_MS) + 1) * HOUR_MS);
    const jobId = `reports.monthly.${hourKey(next)}`;
    if (this.pending && this.pending !== jobId) await this.queue.cancel(monthlyReportJob, this.pending);
    this.pending = jobId;
    await this.queue.schedule(
      monthlyReportJob,
      { hour: hourKey(next) },
      { jobId, runAt: new Date(Date.now() + this.clock.delayUntil(next)) },
    );
  }
}
