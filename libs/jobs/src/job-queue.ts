import { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { JobDefinition } from './job-definition';

export interface ScheduleOptions {
  /**
   * Idempotency key, unique per job name. Scheduling an id that is still pending (waiting, delayed, running, or
   * waiting for a retry) is a no-op: the first payload and time win. Once the job has completed or finally failed,
   * the id is free again and scheduling it runs the job once more (BullMQ keeps finished jobs for inspection only).
   */
  jobId: string;
  /**
   * Not before this wall-clock time (Date.now); absent or past means as soon as a worker is free. A caller deciding
   * by a simulated clock converts with `Clock.delayUntil` first.
   */
  runAt?: Date;
  /** Total tries including the first; default 1 (no retry). */
  attempts?: number;
  /** Delay before the first retry; doubled for each further one (see exponentialBackoffMs). Default 1000. */
  backoffMs?: number;
}

export interface JobContext {
  jobId: string;
  /** 1 for the first try, 2 for the first retry... */
  attempt: number;
}

export type JobHandler<T> = (payload: T, context: JobContext) => Promise<void>;

export interface ProcessOptions {
  /** Jobs of this name handled at once by this process; default 1. */
  concurrency?: number;
}

/** A job name with a handler registered in this process, and whether this process runs it (see JOBS_PROCESS). */
export interface RegisteredJob {
  name: string;
  runsHere: boolean;
}

export const DEFAULT_ATTEMPTS = 1;
export const DEFAULT_BACKOFF_MS = 1000;

/**
 * The queue port: delayed, deduplicated, retried jobs. Two adapters implement it, chosen by configuration: BullMQ on
 * Redis (`REDIS_URL` set; jobs survive restarts and spread over worker processes) and an in-process queue (the
 * embedded default; jobs live in memory only, so engines re-schedule what they need from the database at boot).
 *
 * A payload is validated against its definition's schema when scheduled (a bad one throws JobPayloadError with field
 * paths) and again when processed (a bad one fails that job without retries; the worker carries on).
 */
export abstract class JobQueue implements OnApplicationBootstrap, OnModuleDestroy {
  abstract schedule<T>(def: JobDefinition<T>, payload: T, options: ScheduleOptions): Promise<void>;

  /** Removes a job that has not started yet; false when there is none or it is already running. */
  abstract cancel<T>(def: JobDefinition<T>, jobId: string): Promise<boolean>;

  /**
   * Registers the one handler of a job name in this process; it runs once the queue is started, unless this process
   * leaves the job to others (JOBS_PROCESS=none: the handler is recorded, never run here).
   */
  abstract process<T>(def: JobDefinition<T>, handler: JobHandler<T>, options?: ProcessOptions): void;

  /** The job names registered here, in registration order. */
  abstract registeredJobs(): RegisteredJob[];

  /** Begins running due jobs; idempotent. */
  abstract start(): Promise<void>;

  /** Stops taking jobs and waits for the running handlers to finish; idempotent. */
  abstract stop(): Promise<void>;

  /** Handlers are registered in onModuleInit, so jobs start only once every module is ready. */
  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  /** Runs before onApplicationShutdown closes the database, so a running handler can still finish its writes. */
  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }
}
