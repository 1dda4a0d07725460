import { Injectable } from '@nestjs/common';
import { BookingRelease } from '@cw/events';
import { LivePublisher } from '@cw/realtime';
import { ReleaseSink } from './release.publisher';

/** socket.io `release` to room `site:{site}`: managers see each release in the floor map's feed. */
@Injectable()
export class LiveReleaseSink implements ReleaseSink {
  readonly name = 'socket.io';

  constructor(private readonly live: LivePublisher) {}

  deliver(release: BookingRelease): Promise<void> {
    this.live.release(release);
    return Promise.resolve();
  }
}
