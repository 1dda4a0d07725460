import { BookingEvent, DoorEvent, RejectedEvent, SensorReading } from '@cw/events';
import { eventKey, WriteItem, WriteOutcome } from './write-item';

export interface PartitionedBatch {
  doors: DoorEvent[];
  sensors: SensorReading[];
  bookings: BookingEvent[];
  rejected: RejectedEvent[];
  /** Per item: is it the first occurrence of its (site, event id) in this batch? */
  first: boolean[];
}

/**
 * Splits a batch by table and drops repeats of an event id inside it: only the first occurrence is written, so one
 * statement never sees the same key twice (QoS 1 redelivery often lands a copy in the same batch).
 */
export function partitionBatch(items: WriteItem[]): PartitionedBatch {
  const seen = new Set<string>();
  const out: PartitionedBatch = { doors: [], sensors: [], bookings: [], rejected: [], first: [] };
  for (const item of items) {
    if (item.kind === 'rejected') {
      out.rejected.push(item.rejected);
      out.first.push(false);
      continue;
    }
    const key = eventKey(item.event);
    const first = !seen.has(key);
    seen.add(key);
    out.first.push(first);
    if (!first) continue;
    switch (item.event.type) {
      case 'door':
        out.doors.push(item.event);
        break;
      case 'sensor':
        out.sensors.push(item.event);
        break;
      case 'booking':
        out.bookings.push(item.event);
        break;
    }
  }
  return out;
}

/** An event is stored when it was the first of its key in the batch and the database took it as new. */
export function outcomesOf(items: WriteItem[], first: boolean[], storedKeys: Set<string>): WriteOutcome[] {
  return items.map((item, i) => {
    if (item.kind === 'rejected') return 'dead_lettered';
    return first[i] && storedKeys.has(eventKey(item.event)) ? 'stored' : 'duplicate';
  });
}
