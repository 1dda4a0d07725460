import { SimEvent } from './sim-event';

/** Where published events go: an MQTT connection in production, an array in tests. */
export interface EventSink {
  publish(event: SimEvent): Promise<void>;
  close(): Promise<void>;
}

/** The clock primitives the player uses; jest's fake timers replace the defaults. */
export interface Timers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Maps simulated time onto wall time: `simStart` happens at `wallStart`, and `speed` simulated ms pass per wall ms.
 * An infinite speed publishes everything at once, as fast as the sink takes it.
 */
export interface SimClock {
  simStart: number;
  wallStart: number;
  speed: number;
}

export function wallTimeOf(clock: SimClock, simMs: number): number {
  return clock.speed === Infinity
    ? clock.wallStart
    : clock.wallStart + (simMs - clock.simStart) / clock.speed;
}

export interface LivePlayerOptions {
  timers?: Timers;
  /** Publishes awaiting their acknowledgement at once; more wait, so a burst cannot flood memory. */
  maxInFlight?: number;
  onPublished?: (event: SimEvent) => void;
  onError?: (error: Error, event: SimEvent) => void;
}

type Item =
  { at: number; event: SimEvent; task?: undefined } | { at: number; event?: undefined; task: () => void };

/** Node clamps longer timeouts to 1 ms; waking up hourly also tolerates a host clock that jumps. */
const MAX_SLEEP_MS = 60 * 60 * 1000;

/**
 * Plays events at their simulated time on one timer: whatever is due is published in order, then it sleeps until
 * the next item. Items in the past are due at once, which is how a late start catches up.
 */
export class LivePlayer {
  private queue: Item[] = [];
  private head = 0;
  private timer: unknown = null;
  private pumping = false;
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();
  private idleWaiters: Array<() => void> = [];
  private readonly timers: Timers;
  private readonly maxInFlight: number;
  published = 0;
  failed = 0;

  constructor(
    private readonly sink: EventSink,
    private readonly clock: SimClock,
    private readonly options: LivePlayerOptions = {},
  ) {
    this.timers = options.timers ?? systemTimers;
    this.maxInFlight = options.maxInFlight ?? 256;
  }

  enqueue(events: readonly SimEvent[]): void {
    this.insert(events.map((event) => ({ at: event.at.getTime(), event })));
  }

  /** Runs `task` when the simulated clock reaches `simMs` (e.g. to generate the next day). */
  at(simMs: number, task: () => void): void {
    this.insert([{ at: simMs, task }]);
  }

  /** Resolves once nothing is queued or awaiting acknowledgement. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops publishing; resolves when the publishes already sent are acknowledged or `graceMs` has passed. */
  async stop(graceMs = 2000): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    this.queue = [];
    this.head = 0;
    if (this.inFlight.size > 0) {
      let grace: unknown = null;
      await Promise.race([
        Promise.allSettled([...this.inFlight]),
        new Promise<void>((resolve) => (grace = this.timers.setTimeout(resolve, graceMs))),
      ]);
      this.timers.clearTimeout(grace);
    }
    this.wakeIdleWaiters();
  }

  private insert(items: Item[]): void {
    if (this.stopped) return;
    // stable sort: events at the same instant keep the generator's order
    this.queue = [...this.queue.slice(this.head), ...items].sort((a, b) => a.at - b.at);
    this.head = 0;
    if (!this.pumping) this.schedule();
  }

  private isIdle(): boolean {
    return this.stopped || (this.head >= this.queue.length && this.inFlight.size === 0);
  }

  private wakeIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    waiters.forEach((wake) => wake());
  }

  private clearTimer(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    this.clearTimer();
    if (this.stopped) return;
    if (this.head >= this.queue.length) {
      if (this.isIdle()) this.wakeIdleWaiters();
      return;
    }
    const delay = wallTimeOf(this.clock, this.queue[this.head].at) - this.timers.now();
    this.timer = this.timers.setTimeout(
      () => {
        this.timer = null;
        void this.pump();
      },
      Math.min(MAX_SLEEP_MS, Math.max(0, delay)),
    );
  }

  private async pump(): Promise<void> {
    if (this.pumping || this.stopped) return;
    this.pumping = true;
    try {
      while (!this.stopped && this.head < this.queue.length) {
        const item = this.queue[this.head];
        if (wallTimeOf(this.clock, item.at) > this.timers.now()) break;
        this.head++;
        if (item.task) item.task();
        else await this.send(item.event);
      }
    } finally {
      this.pumping = false;
    }
    this.schedule();
  }

  private async send(event: SimEvent): Promise<void> {
    if (this.inFlight.size >= this.maxInFlight) await Promise.race(this.inFlight);
    const publish = this.sink.publish(event).then(
      () => {
        this.published++;
        this.options.onPublished?.(event);
      },
      (error: unknown) => {
        this.failed++;
        this.options.onError?.(error instanceof Error ? error : new Error(String(error)), event);
      },
    );
    const tracked = publish.finally(() => {
      this.inFlight.delete(tracked);
      if (!this.pumping && this.isIdle()) this.wakeIdleWaiters();
    });
    this.inFlight.add(tracked);
  }
}
