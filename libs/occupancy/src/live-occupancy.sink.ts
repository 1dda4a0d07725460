import { Injectable } from '@nestjs/common';
import { OccupancyDelta } from '@cw/events';
import { LivePublisher } from '@cw/realtime';
import { OccupancySink } from './occupancy.sinks';

/** socket.io `occupancy` to room `site:{site}`: the floor maps recolour as it happens. */
@Injectable()
export class LiveOccupancySink implements OccupancySink {
  readonly name = 'socket.io';

  constructor(private readonly live: LivePublisher) {}

  changed(delta: OccupancyDelta): Promise<void> {
    this.live.occupancy(delta);
    return Promise.resolve();
  }
}
