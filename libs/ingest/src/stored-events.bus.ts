import { Injectable } from '@nestjs/common';
import { TypedEmitter } from '@cw/common';
import { PlatformEvent } from '@cw/events';

export type StoredEventsMap = {
  /** Events just made durable by one ingest batch, first copies only (duplicates never appear here), in arrival order. */
  stored: PlatformEvent[];
};

/**
 * How the engines of the same process (occupancy, no-show, bookings) hear of new events without polling the
 * hypertables. Emitted after the write commits, so a listener never sees an event that could still be lost. Across
 * processes, StoredEventsFeed carries the same batches over Redis.
 */
@Injectable()
export class StoredEventsBus extends TypedEmitter<StoredEventsMap> {
  private readonly counts = new Map<keyof StoredEventsMap, number>();

  override on<K extends keyof StoredEventsMap>(
    name: K,
    listener: (payload: StoredEventsMap[K]) => void,
  ): () => void {
    const off = super.on(name, listener);
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      this.counts.set(name, (this.counts.get(name) ?? 1) - 1);
      off();
    };
  }

  /** Listeners registered now: a process with none need not hear other processes' events. */
  listenerCount(name: keyof StoredEventsMap): number {
    return this.counts.get(name) ?? 0;
  }
}
