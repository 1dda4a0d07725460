export * from './job-definition';
export * from './job-queue';
export * from './backoff';
export * from './timers';
export * from './in-process/in-process.queue';
export * from './bullmq/bullmq.queue';
export * from './job-placement';
export * from './jobs.module';
