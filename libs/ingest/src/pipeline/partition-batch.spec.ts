import { PlatformEvent } from '@cw/events';
import { eventKey, WriteItem } from './write-item';
import { outcomesOf, partitionBatch } from './partition-batch';

const at = new Date('2026-03-10T09:00:00Z');
const stamp = { ts: at, deviceTs: at, receivedAt: at, clockSkewMs: null };
const sensor = (siteId: string, eventId: string): WriteItem => ({
  kind: 'event',
  event: {
    ...stamp,
    type: 'sensor',
    siteId,
    eventId,
    sensorId: 'p1',
    resourceId: 'r1',
    payload: { id: eventId, ts: at.toISOString(), kind: 'presence', value: 1 },
  },
});
const door = (eventId: string): WriteItem => ({
  kind: 'event',
  event: {
    ...stamp,
    type: 'door',
    siteId: 's1',
    eventId,
    doorId: 'd1',
    resourceIds: [],
    payload: { id: eventId, ts: at.toISOString(), credential: 'c', result: 'granted' },
  },
});
const booking = (eventId: string): WriteItem => ({
  kind: 'event',
  event: {
    ...stamp,
    type: 'booking',
    siteId: 's1',
    eventId,
    payload: {
      id: eventId,
      ts: at.toISOString(),
      booking: 'b',
      resource: 'r1',
      start: '2026-03-10T10:00:00Z',
      end: '2026-03-10T11:00:00Z',
      status: 'created',
    },
  },
});
const rejected: WriteItem = {
  kind: 'rejected',
  rejected: {
    receivedAt: at,
    siteId: 's1',
    source: 'mqtt',
    topic: 't',
    eventId: 'e1',
    reason: 'bad',
    errors: [],
    raw: '{}',
  },
};
const keyOf = (item: WriteItem) => eventKey((item as { event: PlatformEvent }).event);

describe('partitionBatch', () => {
  it('routes events to their table and keeps only the first occurrence of a key', () => {
    const items = [sensor('s1', 'e1'), door('e2'), sensor('s1', 'e1'), booking('e3'), rejected, door('e2')];
    const batch = partitionBatch(items);
    expect(batch.sensors.map((e) => e.eventId)).toEqual(['e1']);
    expect(batch.doors.map((e) => e.eventId)).toEqual(['e2']);
    expect(batch.bookings.map((e) => e.eventId)).toEqual(['e3']);
    expect(batch.rejected).toHaveLength(1);
    expect(batch.first).toEqual([true, true, false, true, false, false]);
  });

  it('treats the same event id at two sites as two events', () => {
    const batch = partitionBatch([sensor('s1', 'e1'), sensor('s2', 'e1')]);
    expect(batch.sensors.map((e) => e.siteId)).toEqual(['s1', 's2']);
    expect(batch.first).toEqual([true, true]);
  });
});

describe('outcomesOf', () => {
  it('reports stored, duplicate (in the batch or already in the database) and dead-lettered', () => {
    const items = [sensor('s1', 'new'), sensor('s1', 'new'), sensor('s1', 'old'), rejected];
    const { first } = partitionBatch(items);
    const storedKeys = new Set([keyOf(items[0])]);
    expect(outcomesOf(items, first, storedKeys)).toEqual([
      'stored',
      'duplicate',
      'duplicate',
      'dead_lettered',
    ]);
  });
});
