import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import { Queryable } from '@cw/database';
import { BookingRelease } from '@cw/events';
import { DelayedBatch } from './delayed-batch';
import { NoShowRepository } from './noshow.repository';

/** A channel a release goes out on (webhooks, MQTT, socket.io). Delivering the same release twice must be harmless. */
export interface ReleaseSink {
  readonly name: string;
  deliver(release: BookingRelease): Promise<void>;
  /** Many at once, where the channel can do better than one by one (one statement for many webhook rows). */
  deliverMany?(releases: BookingRelease[]): Promise<void>;
  /**
   * A channel with its own outbox (webhook deliveries) may write it inside the transaction that records the
   * releases, so it commits with them; the returned function, run after commit, stands in for `deliverMany`.
   */
  stage?(tx: Queryable, releases: BookingRelease[]): Promise<() => Promise<void>>;
}

/** Releases recorded in a transaction, with what their sinks staged in it: `publishStaged` them after commit. */
export interface StagedReleases {
  releases: BookingRelease[];
  staged: Map<ReleaseSink, () => Promise<void>>;
}

export const RELEASE_SINKS = Symbol('RELEASE_SINKS');

const OUTBOX_SWEEP_MS = 15_000;
/**
 * The sweep only takes releases left unpublished at least this long: a younger one is normally still on its way out
 * from the decision that recorded it (perhaps in another process), and sending it again doubled the `release` events.
 */
const OUTBOX_MIN_AGE_MS = 30_000;
const SWEEP_BATCH = 500;
/**
 * Releases are marked published together at most this long after their delivery: the mark only keeps the sweep away
 * (it waits 30 s), and a burst's marks then go after its decisions instead of between them on the database.
 */
const MARK_DELAY_MS = 1_000;

const keyOf = (r: { siteId: string; bookingId: string }) => `${r.siteId}\u0000${r.bookingId}`;

/**
 * Hands committed releases to every sink, then marks them published. A release whose delivery failed (or whose
 * process died first) stays unpublished in the outbox and is handed out again by the sweep.
 */
@Injectable()
export class ReleasePublisher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReleasePublisher.name);
  private sweep: ReturnType<typeof setInterval> | undefined;
  private sweeping: Promise<number> | undefined;
  /** Releases being published by this process right now: the sweep leaves them alone. */
  private readonly inFlight = new Set<string>();
  private readonly marks: DelayedBatch<BookingRelease>;

  constructor(
    private readonly repo: NoShowRepository,
    @Optional() @Inject(RELEASE_SINKS) private readonly sinks: ReleaseSink[] = [],
  ) {
    this.marks = new DelayedBatch((releases) => this.repo.markPublishedMany(releases), MARK_DELAY_MS);
  }

  async publish(release: BookingRelease): Promise<boolean> {
    return (await this.publishMany([release])) === 1;
  }

  /** Inside the transaction that records `releases`: the sinks with an outbox of their own write it there. */
  async stage(tx: Queryable, releases: BookingRelease[]): Promise<StagedReleases> {
    const staged = new Map<ReleaseSink, () => Promise<void>>();
    if (releases.length === 0) return { releases, staged };
    for (const sink of this.sinks) if (sink.stage) staged.set(sink, await sink.stage(tx, releases));
    return { releases, staged };
  }

  /** After that transaction committed: `publishMany`, with the staged sinks finishing what they staged. */
  publishStaged({ releases, staged }: StagedReleases): Promise<number> {
    return this.publishMany(releases, staged);
  }

  /** Returns how many were handed to every sink and marked published. */
  async publishMany(
    releases: BookingRelease[],
    staged: ReadonlyMap<ReleaseSink, () => Promise<void>> = new Map(),
  ): Promise<number> {
    const mine = releases.filter((r) => !this.inFlight.has(keyOf(r)));
    if (mine.length === 0) {
      // Another publication (the boot's sweep) holds these releases; what was staged for them must still go out.
      await Promise.allSettled([...staged.values()].map((finish) => finish()));
      return 0;
    }
    mine.forEach((r) => this.inFlight.add(keyOf(r)));
    try {
      const failed = new Map<string, string[]>();
      const results = await Promise.allSettled(
        this.sinks.map((sink) => {
          const finish = staged.get(sink);
          // What a sink staged covers the whole batch; a release the sweep holds meanwhile gets it once more, harmlessly.
          return finish ? finish().then(() => new Map<string, string>()) : this.deliver(sink, mine);
        }),
      );
      results.forEach((result, i) => {
        if (result.status === 'fulfilled') {
          result.value.forEach((reason, key) => failed.set(key, [...(failed.get(key) ?? []), reason]));
          return;
        }
        const reason = `${this.sinks[i].name}: ${(result.reason as Error).message}`;
        mine.forEach((r) => failed.set(keyOf(r), [...(failed.get(keyOf(r)) ?? []), reason]));
      });
      for (const [key, reasons] of failed) {
        const release = mine.find((r) => keyOf(r) === key);
        this.logger.warn(
          `release of booking ${release?.bookingId} not fully delivered, will retry: ${reasons.join('; ')}`,
        );
      }
      const delivered = mine.filter((r) => !failed.has(keyOf(r)));
      await this.marks.add(delivered);
      return delivered.length;
    } finally {
      mine.forEach((r) => this.inFlight.delete(keyOf(r)));
    }
  }

  /** Publishes what the outbox holds, one sweep at a time: a slow sweep is never joined by the next. */
  flushOutbox(minAgeMs = 0): Promise<number> {
    this.sweeping ??= this.sweepOnce(minAgeMs).finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.flushOutbox();
    this.sweep = setInterval(
      () =>
        void this.flushOutbox(OUTBOX_MIN_AGE_MS).catch((e: Error) =>
          this.logger.warn(`outbox sweep failed: ${e.message}`),
        ),
      OUTBOX_SWEEP_MS,
    );
    this.sweep.unref?.();
  }

  /** Marks still waiting are written now; if that fails, those releases are sent once more after the next boot. */
  async onModuleDestroy(): Promise<void> {
    if (this.sweep) clearInterval(this.sweep);
    await this.marks
      .flush()
      .catch((e: Error) => this.logger.warn(`could not mark releases published: ${e.message}`));
  }

  private async sweepOnce(minAgeMs: number): Promise<number> {
    const waiting = (await this.repo.unpublished(SWEEP_BATCH, minAgeMs)).filter(
      (r) => !this.inFlight.has(keyOf(r)),
    );
    return waiting.length ? this.publishMany(waiting) : 0;
  }

  /** One sink, many releases: the keys of those it failed, with why. */
  private async deliver(sink: ReleaseSink, releases: BookingRelease[]): Promise<Map<string, string>> {
    const failed = new Map<string, string>();
    if (sink.deliverMany) {
      await sink.deliverMany(releases);
      return failed;
    }
    const results = await Promise.allSettled(releases.map((r) => sink.deliver(r)));
    results.forEach((result, i) => {
      if (result.status === 'rejected')
        failed.set(keyOf(releases[i]), `${sink.name}: ${(result.reason as Error).message}`);
    });
    return failed;
  }
}
