import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { Clock } from '@cw/common';
import { defineJob, JobQueue } from '@cw/jobs';
import { z } from 'zod';
import { ChurnRepository } from './churn.repository';
import { ChurnService } from './churn.service';

export const churnDailyJob = defineJob('churn.daily', z.object({ hour: z.string() }).strict());

const HOUR_MS = 3_600_000;
const hourKey = (at: Date) =>
  at
    .toISOString()
    .slice(0, 13)
    .replace(/[^0-9]/g, '');

/**
 * Recomputes churn risk once per site-local day. Sites sit in different zones, so the job wakes every hour and scores
 * each site whose current local day has no scores yet; a day already scored is left alone, so a second run, a
 * second process or a restart changes nothing. The job id carries the hour, so every process may schedule it.
 */
@Injectable()
export class ChurnDailyJob implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(ChurnDailyJob.name);

  constructor(
    private readonly queue: JobQueue,
    private readonly clock: Clock,
    private readonly repo: ChurnRepository,
    private readonly churn: ChurnService,
  ) {}

  onModuleInit(): void {
    this.queue.process(churnDailyJob, async () => {
      try {
        await this.runOnce();
      } finally {
        await this.scheduleNext();
      }
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const now = this.clock.now();
    await this.queue.schedule(
      churnDailyJob,
      { hour: hourKey(now) },
      { jobId: `churn.daily.${hourKey(now)}` },
    );
  }

  /** Scores every site whose local today is not scored yet; the number of sites scored. */
  async runOnce(): Promise<number> {
    let scored = 0;
    for (const site of await this.repo.sites()) {
      try {
        if (await this.churn.ensureToday(site.id, site.timeZone)) scored++;
      } catch (error) {
        // one site's failure must not keep the others unscored; it is retried within the hour
        this.logger.error(`churn scoring of site ${site.id} failed: ${(error as Error).message}`);
      }
    }
    return scored;
  }

  private async scheduleNext(): Promise<void> {
    const next = new Date((Math.floor(this.clock.now().getTime() / HOUR_MS) + 1) * HOUR_MS);
    await this.queue.schedule(
      churnDailyJob,
      { hour: hourKey(next) },
      { jobId: `churn.daily.${hourKey(next)}`, runAt: new Date(Date.now() + this.clock.delayUntil(next)) },
    );
  }
}
