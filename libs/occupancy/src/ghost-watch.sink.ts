import { Injectable } from '@nestjs/common';
import { OccupancyDelta } from '@cw/events';
import { NoShowEngine } from '@cw/noshow';
import { OccupancySink } from './occupancy.sinks';

/**
 * Tells the no-show engine when a booked room empties or fills: a checked-in booking whose room stays empty may be
 * a ghost meeting (released only where the site opted in; the engine checks its policy).
 */
@Injectable()
export class GhostWatchSink implements OccupancySink {
  readonly name = 'ghost-watch';

  constructor(private readonly noshow: NoShowEngine) {}

  async changed(delta: OccupancyDelta): Promise<void> {
    if (!delta.bookingId) return;
    if (delta.state === 'booked' && delta.previous === 'occupied') {
      await this.noshow.roomEmptied(delta.siteId, delta.bookingId, new Date(delta.since));
    } else if (delta.state === 'occupied') {
      await this.noshow.roomOccupied(delta.siteId, delta.bookingId);
    }
  }
}
