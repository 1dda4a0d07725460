import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@cw/config';
import { BullMqJobQueue } from './bullmq/bullmq.queue';
import { InProcessJobQueue } from './in-process/in-process.queue';
import { JobQueue } from './job-queue';

/** REDIS_URL set: BullMQ, shared by every process; unset: the in-process queue of the embedded default. */
export function createJobQueue(config: AppConfig): JobQueue {
  const url = config.get('REDIS_URL');
  return url ? new BullMqJobQueue({ url, prefix: config.get('JOBS_PREFIX') }) : new InProcessJobQueue();
}

/** Provides the JobQueue port; the queue starts at application bootstrap and drains in onModuleDestroy. */
@Global()
@Module({
  providers: [{ provide: JobQueue, inject: [AppConfig], useFactory: createJobQueue }],
  exports: [JobQueue],
})
export class JobsModule {}
