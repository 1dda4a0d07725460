export interface BatcherOptions<T, R> {
  maxBatch: number;
  flushMs: number;
  /** Items held (queued or being written); past it, `add` waits, so memory stays bounded when the sink is slow. */
  maxPending: number;
  /** Writes one batch and returns one result per item, in order. Throwing means nothing was written. */
  write: (items: T[]) => Promise<R[]>;
  /** Waits between retries of a failed write; the batch is kept and retried until it succeeds. */
  retryDelayMs?: (attempt: number) => number;
  onWriteError?: (error: unknown, attempt: number) => void;
  timers?: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout };
  now?: () => number;
}

interface Entry<T, R> {
  item: T;
  resolve: (result: R) => void;
  /** When it was added: the age limit counts from here. */
  at: number;
}

const defaultDelay = (attempt: number) => Math.min(5000, 100 * 2 ** Math.min(attempt, 6));

/**
 * Collects items into batches flushed by size or by age, one write at a time. A failed write is retried with
 * backoff and never dropped; callers' promises resolve only once their item is written, which is what lets MQTT
 * and HTTP acknowledge after durable storage.
 */
export class Batcher<T, R> {
  private queue: Entry<T, R>[] = [];
  private inFlight = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing = false;
  private waiters: (() => void)[] = [];
  private closed = false;
  private readonly timers: NonNullable<BatcherOptions<T, R>['timers']>;
  private readonly now: () => number;

  constructor(private readonly options: BatcherOptions<T, R>) {
    this.timers = options.timers ?? { setTimeout, clearTimeout };
    this.now = options.now ?? Date.now;
  }

  /** Number of items accepted and not yet written. */
  get pending(): number {
    return this.queue.length + this.inFlight;
  }

  /** Resolves with each item's result once written; waits first while the pending limit is reached. */
  async add(items: T[]): Promise<R[]> {
    if (items.length === 0) return [];
    while (this.pending > 0 && this.pending + items.length > this.options.maxPending) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    if (this.closed) throw new Error('batcher is closed');
    const at = this.now();
    const results = items.map((item) => new Promise<R>((resolve) => this.queue.push({ item, resolve, at })));
    if (this.queue.length >= this.options.maxBatch) this.kick();
    else if (!this.timer && !this.writing)
      this.timer = this.timers.setTimeout(() => this.kick(), this.options.flushMs);
    return Promise.all(results);
  }

  /** Writes everything queued now, and waits for it. */
  async drain(): Promise<void> {
    while (this.pending > 0) {
      this.kick();
      await new Promise<void>((resolve) => this.timers.setTimeout(resolve, 5));
    }
  }

  close(): void {
    this.closed = true;
    if (this.timer) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.wakeWaiters();
  }

  private kick(): void {
    if (this.timer) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.writing || this.queue.length === 0) return;
    this.writing = true;
    void this.flushLoop();
  }

  private async flushLoop(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.inFlight = batch.length;
      const results = await this.writeWithRetry(batch.map((entry) => entry.item));
      this.inFlight = 0;
      batch.forEach((entry, i) => entry.resolve(results[i]));
      this.wakeWaiters();
      // A batch that is not full waits for its age limit, so a trickle still forms batches. The limit counts from
      // its oldest item's arrival: what arrived during the write has already waited that long. (Under MQTT the
      // broker reads a connection's next messages only once its previous ones are stored, so a fresh full wait
      // after every write held each connection back by a whole write more per cycle.)
      if (this.queue.length > 0 && this.queue.length < this.options.maxBatch) {
        this.writing = false;
        const wait = Math.max(0, this.queue[0].at + this.options.flushMs - this.now());
        if (!this.timer) this.timer = this.timers.setTimeout(() => this.kick(), wait);
        return;
      }
    }
    this.writing = false;
  }

  private async writeWithRetry(items: T[]): Promise<R[]> {
    const delay = this.options.retryDelayMs ?? defaultDelay;
    for (let attempt = 0; ; attempt++) {
      try {
        const results = await this.options.write(items);
        if (results.length !== items.length)
          throw new Error(`write returned ${results.length} results for ${items.length} items`);
        return results;
      } catch (error) {
        this.options.onWriteError?.(error, attempt);
        await new Promise<void>((resolve) => this.timers.setTimeout(resolve, delay(attempt)));
      }
    }
  }

  private wakeWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((wake) => wake());
  }
}
