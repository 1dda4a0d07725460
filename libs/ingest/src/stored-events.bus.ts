import { Injectable } from '@nestjs/common';
import { TypedEmitter } from '@cw/common';
import { PlatformEvent } from '@cw/events';

export type StoredEventsMap = {
  /** Events just made durable by one ingest batch, first copies only (duplicates never appear here), in arrival order. */
  stored: PlatformEvent[];
};

/**
 * How the engines of the same process (occupancy, no-show, bookings) hear of new events without polling the
 * hypertables. Emitted after the write commits, so a listener never sees an event that could still be lost.
 */
@Injectable()
export class StoredEventsBus extends TypedEmitter<StoredEventsMap> {}
