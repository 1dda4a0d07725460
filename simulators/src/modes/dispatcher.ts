import { performance } from 'node:perf_hooks';
import { Publisher } from '../transport/publisher';
import { OutMessage } from '../transport/wire';
import { LatencyRecorder } from './latency';

export interface DispatchOptions {
  /** Messages awaiting their acknowledgement at once. */
  maxInFlight: number;
  /** Clock for ack latency, in ms; default `performance.now`. */
  now?: () => number;
  onError?: (error: Error, message: OutMessage) => void;
}

/** Distinct error messages kept for the summary; the rest are only counted. */
const KEPT_ERRORS = 5;

/**
 * Sends messages with at most `maxInFlight` unacknowledged, queueing the rest, and keeps the figures a run reports:
 * events acknowledged and failed, the platform's accepted / duplicates / rejected, and ack latency.
 */
export class Dispatcher {
  readonly latency = new LatencyRecorder();
  messages = 0;
  ackedEvents = 0;
  failedEvents = 0;
  failedMessages = 0;
  accepted = 0;
  duplicates = 0;
  rejected = 0;
  readonly errors: string[] = [];
  queuedEvents = 0;
  inFlight = 0;
  private queue: OutMessage[] = [];
  private head = 0;
  private waiters: Array<{ ready: () => boolean; resolve: () => void }> = [];
  private readonly now: () => number;

  constructor(
    private readonly publisher: Publisher,
    private readonly options: DispatchOptions,
  ) {
    if (!(options.maxInFlight >= 1))
      throw new Error(`maxInFlight must be at least 1, got ${options.maxInFlight}`);
    this.now = options.now ?? (() => performance.now());
  }

  get retries(): number {
    return this.publisher.retries ?? 0;
  }

  enqueue(message: OutMessage): void {
    this.queue.push(message);
    this.queuedEvents += message.events;
    this.pump();
  }

  /** Resolves once fewer than `events` events wait in the queue: how a producer slows down to the sink's pace. */
  waitBelow(events: number): Promise<void> {
    return this.when(() => this.queuedEvents < events);
  }

  /** Resolves once everything enqueued is acknowledged or has failed. */
  drain(): Promise<void> {
    return this.when(() => this.queuedEvents === 0 && this.inFlight === 0);
  }

  private when(ready: () => boolean): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ ready, resolve }));
  }

  private notify(): void {
    const waiting = this.waiters;
    this.waiters = waiting.filter((w) => !w.ready());
    for (const w of waiting) if (w.ready()) w.resolve();
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.head < this.queue.length) {
      const message = this.queue[this.head++];
      this.queuedEvents -= message.events;
      this.inFlight++;
      this.messages++;
      void this.send(message);
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.notify();
  }

  private async send(message: OutMessage): Promise<void> {
    const started = this.now();
    try {
      const answer = await this.publisher.send(message);
      this.latency.record(this.now() - started);
      this.ackedEvents += message.events;
      if (answer) {
        this.accepted += answer.accepted;
        this.duplicates += answer.duplicates;
        this.rejected += answer.rejected.length;
        for (const r of answer.rejected.slice(0, KEPT_ERRORS))
          this.keep(`rejected: ${JSON.stringify(r.errors)}`);
      }
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.failedEvents += message.events;
      this.failedMessages++;
      this.keep(failure.message);
      this.options.onError?.(failure, message);
    } finally {
      this.inFlight--;
      this.pump();
    }
  }

  private keep(error: string): void {
    if (this.errors.length < KEPT_ERRORS && !this.errors.includes(error)) this.errors.push(error);
  }
}
