import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Clock } from '@cw/common';

export interface DecisionJob {
  siteId: string;
  bookingId: string;
  version: number;
  /** Set for a ghost check: when the checked-in room went empty (ISO, event time). */
  emptySince?: string;
}

/**
 * When each booking's decision is due. One timer per booking key: arming again replaces it, so a moved booking
 * never keeps its old deadline. The decision itself re-checks the booking's version, so a stale timer is harmless.
 */
export abstract class DecisionTimers {
  abstract arm(key: string, at: Date, job: DecisionJob): Promise<void>;
  abstract disarm(key: string): Promise<void>;
  abstract onDue(handler: (job: DecisionJob) => Promise<void>): void;
}

/** The embedded default's timers. Lost on restart by design: the engine re-arms every pending booking at boot. */
@Injectable()
export class InProcessDecisionTimers extends DecisionTimers implements OnModuleDestroy {
  private readonly timers = new Map<
    string,
    { timer: ReturnType<typeof setTimeout>; at: Date; job: DecisionJob }
  >();
  private handler: ((job: DecisionJob) => Promise<void>) | undefined;
  private stopped = false;
  private readonly offClock: () => void;

  constructor(private readonly clock: Clock) {
    super();
    // A simulation that sets or speeds up the clock moves every deadline in real time.
    this.offClock = clock.on('changed', () => {
      for (const [key, armed] of [...this.timers]) void this.arm(key, armed.at, armed.job);
    });
  }

  arm(key: string, at: Date, job: DecisionJob): Promise<void> {
    this.clear(key);
    if (this.stopped) return Promise.resolve();
    // setTimeout holds at most ~24.8 days; a later deadline re-arms itself when that much has passed.
    const delay = Math.min(this.clock.delayUntil(at), 2 ** 31 - 1);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      if (this.clock.delayUntil(at) > 0) void this.arm(key, at, job);
      else void this.handler?.(job);
    }, delay);
    timer.unref?.();
    this.timers.set(key, { timer, at, job });
    return Promise.resolve();
  }

  disarm(key: string): Promise<void> {
    this.clear(key);
    return Promise.resolve();
  }

  onDue(handler: (job: DecisionJob) => Promise<void>): void {
    this.handler = handler;
  }

  get armed(): number {
    return this.timers.size;
  }

  onModuleDestroy(): void {
    this.stopped = true;
    this.offClock();
    for (const key of [...this.timers.keys()]) this.clear(key);
  }

  private clear(key: string): void {
    const armed = this.timers.get(key);
    if (armed) clearTimeout(armed.timer);
    this.timers.delete(key);
  }
}
