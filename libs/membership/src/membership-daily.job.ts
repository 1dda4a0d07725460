import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Clock } from '@cw/common';
import { defineJob, JobQueue } from '@cw/jobs';
import { z } from 'zod';
import { OffboardingService } from './offboarding.service';

const HOUR_MS = 3_600_000;

export const membershipDailyJob = defineJob(
  'membership.daily',
  z.object({ /** The hour (ISO, on the platform clock) this run stands for. */ slot: z.string() }).strict(),
);

/**
 * The daily sweep: contracts whose end has come are closed and members whose last contract ended are offboarded.
 * Sites keep their own calendars, so a day turns at a different instant in each; the sweep is idempotent and runs
 * every hour on the platform clock, which is how every site gets its daily run within an hour of its local
 * midnight. One job id per hour: on BullMQ many processes schedule it and one runs it.
 */
@Injectable()
export class MembershipDailyJob implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MembershipDailyJob.name);
  private nextJobId: string | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly queue: JobQueue,
    private readonly clock: Clock,
    private readonly offboarding: OffboardingService,
  ) {}

  onModuleInit(): void {
    this.queue.process(membershipDailyJob, async () => {
      try {
        const { contractsEnded, offboarded } = await this.offboarding.runDaily(this.clock.now());
        if (contractsEnded || offboarded.length)
          this.logger.log({ contractsEnded, offboarded: offboarded.length }, 'daily membership sweep');
      } finally {
        await this.scheduleNext();
      }
    });
    // A simulation that sets the clock (CLOCK_CONTROL) moves the next hour: the pending run follows it.
    this.unsubscribe = this.clock.on('changed', () => {
      void this.reschedule().catch((error: unknown) =>
        this.logger.error({ err: error }, 'could not reschedule the daily membership sweep'),
      );
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** A run at boot catches up on the days the platform was down; then one per hour. */
  async onApplicationBootstrap(): Promise<void> {
    await this.queue.schedule(
      membershipDailyJob,
      { slot: 'boot' },
      { jobId: `membership-daily-boot-${process.pid}` },
    );
  }

  private async reschedule(): Promise<void> {
    if (this.nextJobId) await this.queue.cancel(membershipDailyJob, this.nextJobId);
    await this.scheduleNext();
  }

  private async scheduleNext(): Promise<void> {
    const next = new Date((Math.floor(this.clock.now().getTime() / HOUR_MS) + 1) * HOUR_MS);
    const slot = next.toISOString();
    const jobId = `membership-daily-${slot.slice(0, 13).replace(/[^0-9]/g, '')}`;
    this.nextJobId = jobId;
    await this.queue.schedule(
      membershipDailyJob,
      { slot },
      {
        jobId,
        runAt: new Date(Date.now() + this.clock.delayUntil(next)),
        attempts: 3,
        backoffMs: 60_000,
      },
    );
  }
}
