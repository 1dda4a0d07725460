import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import { BookingRelease } from '@cw/events';
import { NoShowRepository } from './noshow.repository';

/** A channel a release goes out on (webhooks, MQTT, socket.io). Delivering the same release twice must be harmless. */
export interface ReleaseSink {
  readonly name: string;
  deliver(release: BookingRelease): Promise<void>;
}

export const RELEASE_SINKS = Symbol('RELEASE_SINKS');

const OUTBOX_SWEEP_MS = 15_000;

/**
 * Hands a committed release to every sink, then marks it published. A release whose delivery failed (or whose
 * process died first) stays unpublished in the outbox and is handed out again by the sweep.
 */
@Injectable()
export class ReleasePublisher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ReleasePublisher.name);
  private sweep: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly repo: NoShowRepository,
    @Optional() @Inject(RELEASE_SINKS) private readonly sinks: ReleaseSink[] = [],
  ) {}

  async publish(release: BookingRelease): Promise<boolean> {
    const results = await Promise.allSettled(this.sinks.map((sink) => sink.deliver(release)));
    const failed = results
      .map((result, i) =>
        result.status === 'rejected' ? `${this.sinks[i].name}: ${(result.reason as Error).message}` : null,
      )
      .filter((x): x is string => x !== null);
    if (failed.length) {
      this.logger.warn(
        `release of booking ${release.bookingId} not fully delivered, will retry: ${failed.join('; ')}`,
      );
      return false;
    }
    await this.repo.markPublished(release.siteId, release.bookingId);
    return true;
  }

  async flushOutbox(): Promise<number> {
    let published = 0;
    for (const release of await this.repo.unpublished()) if (await this.publish(release)) published++;
    return published;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.flushOutbox();
    this.sweep = setInterval(
      () =>
        void this.flushOutbox().catch((e: Error) => this.logger.warn(`outbox sweep failed: ${e.message}`)),
      OUTBOX_SWEEP_MS,
    );
    this.sweep.unref?.();
  }

  onModuleDestroy(): void {
    if (this.sweep) clearInterval(this.sweep);
  }
}
