import { Logger } from '@nestjs/common';
import { exponentialBackoffMs } from '../backoff';
import { assertJobId, JobDefinition, JobPayloadError } from '../job-definition';
import {
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  JobContext,
  JobHandler,
  JobQueue,
  ProcessOptions,
  RegisteredJob,
  ScheduleOptions,
} from '../job-queue';
import { systemTimers, JobTimers } from '../timers';
import { checkRetryOptions, describeError } from '../queue-options';
import { Fifo } from './fifo';
import { HeapItem, IndexedHeap } from './indexed-heap';

// setTimeout overflows above 2^31-1 ms (about 24.8 days) and would fire at once; longer waits re-arm on wake-up.
const MAX_TIMER_MS = 2_147_483_647;

interface Entry extends HeapItem {
  key: string;
  name: string;
  jobId: string;
  payload: unknown;
  runAt: number;
  seq: number;
  attempt: number;
  attempts: number;
  backoffMs: number;
  state: 'delayed' | 'ready' | 'active' | 'cancelled';
}

interface Registration {
  invoke(payload: unknown, context: JobContext): Promise<void>;
  concurrency: number;
  running: number;
}

export interface InProcessQueueOptions {
  timers?: JobTimers;
}

/**
 * The embedded default: jobs in memory, run by this process. Delayed jobs sit in one heap ordered by due time with a
 * single timer armed for the earliest, so a hundred thousand pending no-show timers cost one timer, not 100k.
 *
 * Nothing survives a restart, by design: the engines that schedule jobs (no-show timers, webhook deliveries)
 * re-schedule what is still pending from the database at boot, which is also what makes the in-memory queue safe.
 */
export class InProcessJobQueue extends JobQueue {
  private readonly logger = new Logger(InProcessJobQueue.name);
  private readonly timers: JobTimers;
  private readonly entries = new Map<string, Entry>();
  private readonly delayed = new IndexedHeap<Entry>(
    (a, b) => a.runAt < b.runAt || (a.runAt === b.runAt && a.seq < b.seq),
  );
  private readonly ready = new Map<string, Fifo<Entry>>();
  private readonly handlers = new Map<string, Registration>();
  private readonly running = new Set<Promise<void>>();
  private timer: { handle: unknown; at: number } | undefined;
  private started = false;
  private seq = 0;

  constructor(options: InProcessQueueOptions = {}) {
    super();
    this.timers = options.timers ?? systemTimers;
  }

  /** Jobs known and not finished (delayed, ready, running or waiting for a retry). */
  get pending(): number {
    return this.entries.size;
  }

  /** Synchronous inside; a refused payload or option still surfaces as a rejection, as with BullMQ. */
  schedule<T>(def: JobDefinition<T>, payload: T, options: ScheduleOptions): Promise<void> {
    try {
      this.add(def, payload, options);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  cancel<T>(def: JobDefinition<T>, jobId: string): Promise<boolean> {
    const entry = this.entries.get(`${def.name}\u0000${jobId}`);
    if (!entry || entry.state === 'active') return Promise.resolve(false);
    this.entries.delete(entry.key);
    if (entry.state === 'delayed') {
      this.delayed.remove(entry);
      this.arm();
    }
    // A ready entry stays in its FIFO and is skipped when it reaches the front.
    entry.state = 'cancelled';
    return Promise.resolve(true);
  }

  process<T>(def: JobDefinition<T>, handler: JobHandler<T>, options: ProcessOptions = {}): void {
    if (this.handlers.has(def.name)) throw new Error(`job ${def.name} already has a handler`);
    const concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be >= 1');
    this.handlers.set(def.name, {
      invoke: (payload, context) => handler(def.parse(payload), context),
      concurrency,
      running: 0,
    });
    this.pump(def.name);
  }

  /** Every handler runs here: the in-process queue has no other process to leave jobs to. */
  registeredJobs(): RegisteredJob[] {
    return [...this.handlers.keys()].map((name) => ({ name, runsHere: true }));
  }

  start(): Promise<void> {
    if (!this.started) {
      this.started = true;
      this.tick();
      for (const name of this.ready.keys()) this.pump(name);
    }
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    this.started = false;
    this.disarm();
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private add<T>(def: JobDefinition<T>, payload: T, options: ScheduleOptions): void {
    assertJobId(options.jobId);
    const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
    const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
    checkRetryOptions(attempts, backoffMs);
    const data = def.parse(payload);
    const key = `${def.name}\u0000${options.jobId}`;
    if (this.entries.has(key)) return;
    this.seq += 1;
    const entry: Entry = {
      heapIndex: -1,
      key,
      name: def.name,
      jobId: options.jobId,
      payload: data,
      runAt: options.runAt?.getTime() ?? this.timers.now(),
      seq: this.seq,
      attempt: 1,
      attempts,
      backoffMs,
      state: 'delayed',
    };
    this.entries.set(key, entry);
    this.delayed.push(entry);
    this.tick();
  }

  /** Moves every due job to its ready FIFO, starts what the handlers have room for, re-arms the one timer. */
  private tick(): void {
    if (!this.started) return;
    const now = this.timers.now();
    const touched = new Set<string>();
    for (let next = this.delayed.peek(); next && next.runAt <= now; next = this.delayed.peek()) {
      this.delayed.pop();
      next.state = 'ready';
      let fifo = this.ready.get(next.name);
      if (!fifo) this.ready.set(next.name, (fifo = new Fifo<Entry>()));
      fifo.push(next);
      touched.add(next.name);
    }
    for (const name of touched) this.pump(name);
    this.arm();
  }

  private arm(): void {
    const next = this.delayed.peek();
    if (!this.started || !next) return this.disarm();
    if (this.timer?.at === next.runAt) return;
    this.disarm();
    const delay = Math.min(Math.max(0, next.runAt - this.timers.now()), MAX_TIMER_MS);
    const handle = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.tick();
    }, delay);
    this.timer = { handle, at: next.runAt };
  }

  private disarm(): void {
    if (this.timer) this.timers.clearTimeout(this.timer.handle);
    this.timer = undefined;
  }

  private pump(name: string): void {
    const registration = this.handlers.get(name);
    const fifo = this.ready.get(name);
    if (!this.started || !registration || !fifo) return;
    while (registration.running < registration.concurrency) {
      const entry = fifo.shift();
      if (!entry) return;
      if (entry.state === 'cancelled') continue;
      this.run(registration, entry);
    }
  }

  private run(registration: Registration, entry: Entry): void {
    entry.state = 'active';
    registration.running += 1;
    const task = this.execute(registration, entry).finally(() => {
      registration.running -= 1;
      this.running.delete(task);
      this.pump(entry.name);
    });
    this.running.add(task);
  }

  private async execute(registration: Registration, entry: Entry): Promise<void> {
    // Never inside the caller's stack: a handler that schedules a job must not re-enter tick() or pump().
    await Promise.resolve();
    try {
      await registration.invoke(entry.payload, { jobId: entry.jobId, attempt: entry.attempt });
      this.entries.delete(entry.key);
    } catch (error) {
      this.failed(entry, error);
    }
  }

  private failed(entry: Entry, error: unknown): void {
    const what = `job ${entry.name} ${entry.jobId} attempt ${entry.attempt}/${entry.attempts}`;
    // A payload the schema refuses will be refused again: retrying it only delays the report.
    if (!(error instanceof JobPayloadError) && entry.attempt < entry.attempts) {
      const delay = exponentialBackoffMs(entry.attempt, entry.backoffMs);
      this.logger.warn(`${what} failed, retrying in ${delay} ms: ${describeError(error)}`);
      entry.attempt += 1;
      entry.runAt = this.timers.now() + delay;
      entry.state = 'delayed';
      this.delayed.push(entry);
      this.arm();
      return;
    }
    this.entries.delete(entry.key);
    this.logger.error(
      `${what} failed, giving up: ${describeError(error)}`,
      error instanceof Error ? error.stack : undefined,
    );
  }
}
