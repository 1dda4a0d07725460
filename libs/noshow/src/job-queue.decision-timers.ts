import { Injectable, OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Clock } from '@cw/common';
import { defineJob, JobQueue } from '@cw/jobs';
import { z } from 'zod';
import { DecisionJob, DecisionTimers } from './decision-timers';

export const noShowDecisionJob = defineJob(
  'noshow.decide',
  z
    .object({
      siteId: z.string(),
      bookingId: z.string(),
      version: z.number().int(),
      emptySince: z.string().optional(),
    })
    .strict(),
);

/** Booking ids may hold characters a queue key cannot; a digest keeps job ids short, stable and safe. */
const jobIdOf = (key: string) => `d${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;

/**
 * Decision timers on the job queue: BullMQ on Redis in production, so a deadline survives the worker that armed it
 * and any worker may run it. Arming again replaces the pending job; the decision re-checks the booking's version.
 */
@Injectable()
export class JobQueueDecisionTimers extends DecisionTimers implements OnModuleInit {
  private handler: ((job: DecisionJob) => Promise<void>) | undefined;
  private registered = false;

  constructor(
    private readonly queue: JobQueue,
    private readonly clock: Clock,
  ) {
    super();
  }

  /** Nest calls this once per token the instance is provided under (also as DecisionTimers): register once. */
  onModuleInit(): void {
    if (this.registered) return;
    this.registered = true;
    this.queue.process(noShowDecisionJob, async (job) => this.handler?.(job), { concurrency: 8 });
  }

  async arm(key: string, at: Date, job: DecisionJob): Promise<void> {
    const jobId = jobIdOf(key);
    await this.queue.cancel(noShowDecisionJob, jobId);
    await this.queue.schedule(noShowDecisionJob, job, {
      jobId,
      runAt: new Date(Date.now() + this.clock.delayUntil(at)),
      attempts: 5,
      backoffMs: 1000,
    });
  }

  async disarm(key: string): Promise<void> {
    await this.queue.cancel(noShowDecisionJob, jobIdOf(key));
  }

  onDue(handler: (job: DecisionJob) => Promise<void>): void {
    this.handler = handler;
  }
}
