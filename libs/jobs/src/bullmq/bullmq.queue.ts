import { Logger } from '@nestjs/common';
import { Job, JobState, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { assertJobId, JobDefinition, JobPayloadError } from '../job-definition';
import {
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  JobHandler,
  JobQueue,
  ProcessOptions,
  RegisteredJob,
  ScheduleOptions,
} from '../job-queue';
import { checkRetryOptions, describeError } from '../queue-options';

export interface BullMqQueueOptions {
  /** redis:// or rediss:// */
  url: string;
  /** Namespaces every key, so several deployments (or parallel test files) share one Redis without colliding. */
  prefix: string;
  /** Whether this process runs a job name's handler (default: every one); the others are left to other processes. */
  runsHere?: (jobName: string) => boolean;
}

// Finished jobs are kept for inspection only (a completed or failed id can be scheduled again, see ScheduleOptions):
// a day of successes and a week of failures, each capped so a busy queue cannot fill Redis.
const KEEP_COMPLETED = { age: 24 * 3600, count: 1000 };
const KEEP_FAILED = { age: 7 * 24 * 3600, count: 10_000 };
const NOT_STARTED: ReadonlySet<JobState | 'unknown'> = new Set(['delayed', 'waiting', 'prioritized']);

interface Registration {
  name: string;
  processor: (job: Job<unknown>) => Promise<void>;
  concurrency: number;
}

/**
 * Production adapter: one BullMQ queue and, where a handler is registered, one worker per job name. Jobs are in Redis,
 * so they survive restarts, and any number of worker processes share them; BullMQ locks a job while it runs and
 * moves it back if its worker dies, and its custom job ids give the dedupe.
 */
export class BullMqJobQueue extends JobQueue {
  private readonly logger = new Logger(BullMqJobQueue.name);
  private readonly queues = new Map<string, Queue<unknown>>();
  private readonly registrations = new Map<string, Registration>();
  /** Handlers registered here for jobs another process runs (JOBS_PROCESS=none): kept only to report them. */
  private readonly leftToOthers = new Set<string>();
  private readonly workers = new Map<string, Worker<unknown>>();
  private producer: Redis | undefined;
  private consumer: Redis | undefined;
  private started = false;

  constructor(private readonly options: BullMqQueueOptions) {
    super();
  }

  async schedule<T>(def: JobDefinition<T>, payload: T, options: ScheduleOptions): Promise<void> {
    assertJobId(options.jobId);
    const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
    const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
    checkRetryOptions(attempts, backoffMs);
    const data = def.parse(payload);
    const queue = this.queue(def.name);
    // BullMQ ignores an id it still holds, finished ones included; only pending ids should dedupe (see ScheduleOptions).
    const state = await queue.getJobState(options.jobId);
    if (state === 'completed' || state === 'failed') await queue.remove(options.jobId);
    await queue.add(def.name, data, {
      jobId: options.jobId,
      delay: options.runAt ? Math.max(0, options.runAt.getTime() - Date.now()) : 0,
      attempts,
      backoff: { type: 'exponential', delay: backoffMs },
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: KEEP_FAILED,
    });
  }

  async cancel<T>(def: JobDefinition<T>, jobId: string): Promise<boolean> {
    const queue = this.queue(def.name);
    if (!NOT_STARTED.has(await queue.getJobState(jobId))) return false;
    // 0 when a worker took the job in between: it holds a lock and is left to finish.
    return (await queue.remove(jobId)) === 1;
  }

  process<T>(def: JobDefinition<T>, handler: JobHandler<T>, options: ProcessOptions = {}): void {
    if (this.registrations.has(def.name) || this.leftToOthers.has(def.name))
      throw new Error(`job ${def.name} already has a handler`);
    const concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be >= 1');
    if (this.options.runsHere && !this.options.runsHere(def.name)) {
      this.leftToOthers.add(def.name);
      return;
    }
    const registration: Registration = {
      name: def.name,
      concurrency,
      processor: async (job) => {
        let payload: T;
        try {
          payload = def.parse(job.data);
        } catch (error) {
          // Retrying a payload the schema refuses cannot help: fail the job now, with the field paths.
          if (error instanceof JobPayloadError) throw new UnrecoverableError(error.message);
          throw error;
        }
        await handler(payload, { jobId: job.id ?? '', attempt: job.attemptsMade + 1 });
      },
    };
    this.registrations.set(def.name, registration);
    if (this.started) this.launch(registration);
  }

  registeredJobs(): RegisteredJob[] {
    return [
      ...[...this.registrations.keys()].map((name) => ({ name, runsHere: true })),
      ...[...this.leftToOthers].map((name) => ({ name, runsHere: false })),
    ];
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    if (this.leftToOthers.size > 0)
      this.logger.log(
        `running ${[...this.registrations.keys()].join(', ') || 'no jobs'} here; ` +
          `leaving ${[...this.leftToOthers].join(', ')} to the worker processes`,
      );
    for (const registration of this.registrations.values()) this.launch(registration);
    await Promise.all([...this.workers.values()].map((worker) => worker.waitUntilReady()));
  }

  /** Worker.close() lets running handlers finish; then queues and the connections this adapter opened are closed. */
  async stop(): Promise<void> {
    this.started = false;
    const workers = [...this.workers.values()];
    this.workers.clear();
    await Promise.all(workers.map((worker) => worker.close()));
    const queues = [...this.queues.values()];
    this.queues.clear();
    await Promise.all(queues.map((queue) => queue.close()));
    const connections = [this.producer, this.consumer].filter((c): c is Redis => c !== undefined);
    this.producer = undefined;
    this.consumer = undefined;
    await Promise.all(
      connections.map((connection) => connection.quit().catch(() => connection.disconnect())),
    );
  }

  private queue(name: string): Queue<unknown> {
    let queue = this.queues.get(name);
    if (!queue) {
      // The default retry limit makes a command fail while Redis is down instead of waiting forever, so a caller
      // (an HTTP request scheduling a job) gets an error.
      this.producer ??= new Redis(this.options.url, { lazyConnect: true });
      queue = new Queue<unknown>(name, { connection: this.producer, prefix: this.options.prefix });
      queue.on('error', (error: Error) => this.logger.error(`queue ${name}: ${error.message}`));
      this.queues.set(name, queue);
    }
    return queue;
  }

  private launch(registration: Registration): void {
    // Workers block on Redis and must retry forever through an outage: BullMQ requires maxRetriesPerRequest null.
    this.consumer ??= new Redis(this.options.url, { maxRetriesPerRequest: null, lazyConnect: true });
    const worker = new Worker<unknown>(registration.name, registration.processor, {
      connection: this.consumer,
      prefix: this.options.prefix,
      concurrency: registration.concurrency,
    });
    worker.on('failed', (job: Job<unknown> | undefined, error: Error) => this.failed(job, error));
    worker.on('error', (error: Error) => this.logger.error(`worker ${registration.name}: ${error.message}`));
    this.workers.set(registration.name, worker);
  }

  private failed(job: Job<unknown> | undefined, error: Error): void {
    const attempts = job?.opts.attempts ?? DEFAULT_ATTEMPTS;
    const made = job?.attemptsMade ?? attempts;
    const what = `job ${job?.name ?? '?'} ${job?.id ?? '?'} attempt ${made}/${attempts}`;
    if (error instanceof UnrecoverableError || made >= attempts) {
      this.logger.error(`${what} failed, giving up: ${describeError(error)}`, error.stack);
    } else {
      this.logger.warn(`${what} failed, will retry: ${describeError(error)}`);
    }
  }
}
