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

  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly noshow: NoShowEngine) {}

  /** One at a time: "emptied" then "occupied" must arm and then disarm, never the other way round. */
  changed(delta: OccupancyDelta): Promise<void> {
    const bookingId = delta.bookingId;
    if (!bookingId) return Promise.resolve();
    let step: (() => Promise<void>) | undefined;
    if (delta.state === 'booked' && delta.previous === 'occupied')
      step = () => this.noshow.roomEmptied(delta.siteId, bookingId, new Date(delta.since));
    else if (delta.state === 'occupied') step = () => this.noshow.roomOccupied(delta.siteId, bookingId);
    if (!step) return Promise.resolve();
    const next = this.chain.then(step);
    this.chain = next.catch(() => undefined);
    return next;
  }
}
