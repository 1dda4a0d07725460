import { Injectable } from '@nestjs/common';
import type { BookingRelease, LiveAlert, OccupancyDelta } from '@cw/events';
import { LiveTransport } from './live.transport';

/**
 * What engines call to push live events to the clients watching a site. Fire and forget: safe before any client
 * has connected and in a process without the gateway; a client that was not there resynchronises from the
 * snapshot it gets when it joins.
 */
@Injectable()
export class LivePublisher {
  constructor(private readonly transport: LiveTransport) {}

  occupancy(delta: OccupancyDelta): void {
    this.transport.room(delta.siteId)?.emit('occupancy', delta);
  }

  release(release: BookingRelease): void {
    this.transport.room(release.siteId)?.emit('release', release);
  }

  alert(alert: LiveAlert): void {
    this.transport.room(alert.siteId)?.emit('alert', alert);
  }
}
