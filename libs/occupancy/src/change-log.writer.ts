import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { OccupancyDelta } from '@cw/events';
import { OccupancyRepository } from './occupancy.repository';

const FLUSH_MS = 50;
const MAX_BATCH = 2000;
/** Past this many unwritten changes (the database down for minutes), the oldest are dropped rather than memory. */
const MAX_PENDING = 100_000;

/**
 * Writes state changes to `occupancy_changes` in batches, behind the engine: clients get a delta without waiting for
 * the database, and a burst of changes costs one INSERT per batch instead of one per step. A change not yet written
 * when the process dies is re-derived at the next boot from the evidence and bookings, which are durable.
 */
@Injectable()
export class ChangeLogWriter implements OnModuleDestroy {
  private readonly logger = new Logger(ChangeLogWriter.name);
  private queue: OccupancyDelta[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> | undefined;
  private failures = 0;

  constructor(private readonly repo: OccupancyRepository) {}

  get pending(): number {
    return this.queue.length;
  }

  record(changes: OccupancyDelta[]): void {
    if (changes.length === 0) return;
    this.queue.push(...changes);
    if (this.queue.length > MAX_PENDING) {
      const dropped = this.queue.splice(0, this.queue.length - MAX_PENDING);
      this.logger.error(`occupancy_changes writer is behind: dropped ${dropped.length} unwritten changes`);
    }
    this.arm(this.queue.length >= MAX_BATCH ? 0 : FLUSH_MS);
  }

  /** Resolves once everything recorded so far is written (or has failed once and waits for its retry). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.writing || this.queue.length > 0) {
      const before = this.failures;
      await this.startWrite();
      if (this.failures > before) return;
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.flush();
    if (this.timer) clearTimeout(this.timer);
  }

  private arm(delayMs: number): void {
    if (this.writing) return;
    if (this.timer && delayMs > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.startWrite();
    }, delayMs);
    this.timer.unref?.();
  }

  private startWrite(): Promise<void> {
    this.writing ??= this.writeAll().finally(() => {
      this.writing = undefined;
      if (this.queue.length > 0)
        this.arm(this.failures ? Math.min(5000, 100 * 2 ** Math.min(this.failures, 6)) : 0);
    });
    return this.writing;
  }

  private async writeAll(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        await this.repo.recordChanges(batch);
        this.failures = 0;
      } catch (error) {
        this.queue.unshift(...batch);
        this.failures++;
        if (this.failures === 1 || this.failures % 20 === 0)
          this.logger.warn(`occupancy_changes write failed, will retry: ${(error as Error).message}`);
        return;
      }
    }
  }
}
