import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@cw/config';
import { BullMqJobQueue } from './bullmq/bullmq.queue';
import { InProcessJobQueue } from './in-process/in-process.queue';
import { JOBS_KEPT_HERE, jobsRunningHere } from './job-placement';
import { JobQueue } from './job-queue';

/**
 * REDIS_URL set: BullMQ, shared by every process, each running the handlers JOBS_PROCESS gives it; unset: the
 * in-process queue of the embedded default, which runs them all (the configuration refuses JOBS_PROCESS=none there).
 */
export function createJobQueue(config: AppConfig, keptHere: readonly string[] = []): JobQueue {
  const url = config.get('REDIS_URL');
  if (!url) return new InProcessJobQueue();
  return new BullMqJobQueue({
    url,
    prefix: config.get('JOBS_PREFIX'),
    runsHere: jobsRunningHere(config.get('JOBS_PROCESS'), keptHere),
  });
}

/** Provides the JobQueue port; the queue starts at application bootstrap and drains in onModuleDestroy. */
@Global()
@Module({
  providers: [
    {
      provide: JobQueue,
      inject: [AppConfig, { token: JOBS_KEPT_HERE, optional: true }],
      useFactory: (config: AppConfig, keptHere?: string[]) => createJobQueue(config, keptHere ?? []),
    },
  ],
  exports: [JobQueue],
})
export class JobsModule {}
