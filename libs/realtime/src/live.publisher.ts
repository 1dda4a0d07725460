import { Injectable } from '@nestjs/common';
import type { BookingRelease, LiveAlert, LiveBatchedEvent, OccupancyDelta } from '@cw/events';
import { LiveTransport } from './live.transport';

/** Events per `batch` frame at most: a burst becomes a few frames of bounded size rather than one huge one. */
export const MAX_EVENTS_PER_BATCH = 500;

/**
 * What engines call to push live events to the clients watching a site. Fire and forget: safe before any client
 * has connected and in a process without the gateway; a client that was not there resynchronises from the
 * snapshot it gets when it joins.
 *
 * Each event goes at once to the site's room, one socket.io event each, and is collected for the site's batched
 * room, sent as one `batch` at the end of the current turn of the event loop. One emit to a room of 200 sockets is
 * 200 WebSocket frames written in a chain that nothing interrupts: a burst of 1,000 releases (2,000 events) held the
 * main thread about 3 s that way, and with it the no-show transactions and webhook attempts waiting for replies.
 */
@Injectable()
export class LivePublisher {
  private readonly pending = new Map<string, LiveBatchedEvent[]>();
  private flushScheduled = false;

  constructor(private readonly transport: LiveTransport) {}

  occupancy(delta: OccupancyDelta): void {
    this.transport.room(delta.siteId)?.emit('occupancy', delta);
    this.collect(delta.siteId, { event: 'occupancy', data: delta });
  }

  release(release: BookingRelease): void {
    this.transport.room(release.siteId)?.emit('release', release);
    this.collect(release.siteId, { event: 'release', data: release });
  }

  alert(alert: LiveAlert): void {
    this.transport.room(alert.siteId)?.emit('alert', alert);
    this.collect(alert.siteId, { event: 'alert', data: alert });
  }

  /** Sends what has been collected now (tests; shutdown). */
  flush(): void {
    this.flushScheduled = false;
    const sites = [...this.pending];
    this.pending.clear();
    for (const [siteId, events] of sites) {
      const room = this.transport.batchedRoom(siteId);
      if (!room) continue;
      for (let i = 0; i < events.length; i += MAX_EVENTS_PER_BATCH)
        room.emit('batch', { siteId, events: events.slice(i, i + MAX_EVENTS_PER_BATCH) });
    }
  }

  private collect(siteId: string, event: LiveBatchedEvent): void {
    if (!this.transport.batchedRoom(siteId)) return;
    let list = this.pending.get(siteId);
    if (!list) this.pending.set(siteId, (list = []));
    list.push(event);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // setImmediate: after everything the current burst publishes synchronously, before the next timers.
    setImmediate(() => this.flush());
  }
}
