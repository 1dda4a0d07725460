import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { Clock } from '@cw/common';
import { AppConfig } from '@cw/config';
import { defineJob, JobQueue } from '@cw/jobs';
import { z } from 'zod';
import { BillingRunsRepository } from './billing-runs.repository';
import { BillingRunsService } from './billing-runs.service';
import { localDate, monthPeriod } from './local-dates';
import { OverdueService } from './overdue.service';

const siteId = z.string().min(1).max(64);

export const billingTickJob = defineJob('billing.tick', z.object({ at: z.string() }).strict());
export const billingRunJob = defineJob(
  'billing.run',
  z.object({ siteId, period: z.string().regex(/^\d{4}-\d{2}$/) }).strict(),
);
export const overdueRemindersJob = defineJob(
  'billing.overdue-reminders',
  z.object({ siteId, day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }).strict(),
);

const HOUR_MS = 3_600_000;

/** The calendar month before the one a local date falls in, as 'YYYY-MM'. */
export function previousMonth(date: string): string {
  const [year, month] = date.split('-').map(Number);
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

const safeId = (value: string) => value.replace(/[^a-zA-Z0-9_.-]/g, '_');

/**
 * Billing's recurring work on the job queue (BullMQ with REDIS_URL, so one worker of many takes each job): an hourly
 * tick that, for every site, asks for the run of the month that just ended in the site's zone (until a run of it has
 * finished) and for the day's overdue sweep. Job ids make each request once per site and month or day, whichever
 * process asks. The tick follows the injected clock, so an accelerated simulation gets its month-end runs.
 */
@Injectable()
export class BillingScheduler implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(BillingScheduler.name);

  constructor(
    private readonly queue: JobQueue,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly runs: BillingRunsRepository,
    private readonly billing: BillingRunsService,
    private readonly overdue: OverdueService,
  ) {}

  onModuleInit(): void {
    this.queue.process(billingTickJob, async () => {
      try {
        await this.tick();
      } finally {
        await this.armTick();
      }
    });
    this.queue.process(billingRunJob, async ({ siteId, period }) => {
      await this.billing.run(siteId, period);
    });
    this.queue.process(overdueRemindersJob, async ({ siteId }) => {
      await this.overdue.sweep(siteId);
    });
  }

  /** Tests drive ticks by hand (a background run would bill their sites behind their back). */
  async onApplicationBootstrap(): Promise<void> {
    if (this.config.get('NODE_ENV') !== 'test') await this.armTick();
  }

  /** Schedules what is due now for every site; returns what it asked for. */
  async tick(): Promise<{ runs: { siteId: string; period: string }[]; sweeps: string[] }> {
    const runs: { siteId: string; period: string }[] = [];
    const sweeps: string[] = [];
    const now = this.clock.now();
    for (const id of await this.runs.siteIds()) {
      const site = await this.runs.site(id);
      if (!site) continue;
      const today = localDate(now, site.timeZone);
      const period = previousMonth(today);
      if (!(await this.runs.hasFinishedRun(id, monthPeriod(period).start))) {
        await this.queue.schedule(
          billingRunJob,
          { siteId: id, period },
          { jobId: safeId(`run-${id}-${period}`), attempts: 3 },
        );
        runs.push({ siteId: id, period });
      }
      await this.queue.schedule(
        overdueRemindersJob,
        { siteId: id, day: today },
        { jobId: safeId(`overdue-${id}-${today}`), attempts: 3 },
      );
      sweeps.push(id);
    }
    this.logger.debug({ runs: runs.length, sweeps: sweeps.length }, 'billing tick');
    return { runs, sweeps };
  }

  private async armTick(): Promise<void> {
    const next = new Date(Math.floor(this.clock.now().getTime() / HOUR_MS) * HOUR_MS + HOUR_MS);
    await this.queue.schedule(
      billingTickJob,
      { at: next.toISOString() },
      {
        jobId: safeId(`tick-${next.toISOString()}`),
        runAt: new Date(Date.now() + this.clock.delayUntil(next)),
      },
    );
  }
}
