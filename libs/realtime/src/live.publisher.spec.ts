import type { BookingRelease, LiveAlert, LiveBatch, OccupancyDelta } from '@cw/events';
import { LivePublisher, MAX_EVENTS_PER_BATCH } from './live.publisher';
import type { LiveRoom } from './live-socket';
import { LiveTransport } from './live.transport';

const delta: OccupancyDelta = {
  siteId: 'madrid',
  resourceId: 'room-1',
  state: 'occupied',
  previous: 'free',
  occupancy: 2,
  bookingId: null,
  since: '2025-03-03T09:00:00.000Z',
};
const release: BookingRelease = {
  releaseId: 'rel-b1',
  siteId: 'lisbon',
  bookingId: 'b1',
  resourceId: 'room-2',
  memberId: null,
  reason: 'no_show',
  bookingStart: '2025-03-03T09:00:00.000Z',
  bookingEnd: '2025-03-03T10:00:00.000Z',
  decidedAt: '2025-03-03T09:15:00.000Z',
  releasedAt: '2025-03-03T09:15:01.000Z',
};
const alert: LiveAlert = {
  siteId: 'porto',
  kind: 'device_offline',
  severity: 'warning',
  message: 'Room 1 presence sensor silent for 30 min',
  resourceId: 'room-1',
  at: '2025-03-03T09:30:00.000Z',
};

/** A transport whose rooms (single events and batches) record what is emitted to them. */
function recordingTransport(attached: boolean) {
  const emitted: { room: string; event: string; payload: unknown }[] = [];
  const roomOf = (room: string) =>
    attached
      ? ({
          emit: (event: string, payload: unknown) => {
            emitted.push({ room, event, payload });
            return true;
          },
        } as unknown as LiveRoom)
      : undefined;
  const transport = {
    room: (siteId: string) => roomOf(siteId),
    batchedRoom: (siteId: string) => roomOf(`${siteId}:batched`),
  } as unknown as LiveTransport;
  return { transport, emitted };
}

describe('LivePublisher', () => {
  it("sends each event to its own site's room under the contract's event name", () => {
    const { transport, emitted } = recordingTransport(true);
    const publisher = new LivePublisher(transport);
    publisher.occupancy(delta);
    publisher.release(release);
    publisher.alert(alert);
    expect(emitted).toEqual([
      { room: 'madrid', event: 'occupancy', payload: delta },
      { room: 'lisbon', event: 'release', payload: release },
      { room: 'porto', event: 'alert', payload: alert },
    ]);
    publisher.flush();
    expect(emitted.slice(3)).toEqual([
      {
        room: 'madrid:batched',
        event: 'batch',
        payload: { siteId: 'madrid', events: [{ event: 'occupancy', data: delta }] },
      },
      {
        room: 'lisbon:batched',
        event: 'batch',
        payload: { siteId: 'lisbon', events: [{ event: 'release', data: release }] },
      },
      {
        room: 'porto:batched',
        event: 'batch',
        payload: { siteId: 'porto', events: [{ event: 'alert', data: alert }] },
      },
    ]);
  });

  it('is a no-op, not an error, before a socket.io server exists', () => {
    const { transport } = recordingTransport(false);
    const publisher = new LivePublisher(transport);
    expect(() => {
      publisher.occupancy(delta);
      publisher.release(release);
      publisher.alert(alert);
    }).not.toThrow();
  });
});

describe('LivePublisher batches', () => {
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

  it('sends one batch per site at the end of the turn, in publication order, at most MAX_EVENTS_PER_BATCH each', async () => {
    const { transport, emitted } = recordingTransport(true);
    const publisher = new LivePublisher(transport);
    const deltas = Array.from({ length: MAX_EVENTS_PER_BATCH + 2 }, (_, i) => ({
      ...delta,
      resourceId: `d${i}`,
    }));
    deltas.forEach((d) => publisher.occupancy(d));
    publisher.release({ ...release, siteId: 'madrid' });
    expect(emitted.filter((e) => e.event === 'batch')).toEqual([]);
    await turn();
    const batches = emitted.filter((e) => e.event === 'batch');
    expect(batches.map((b) => [b.room, (b.payload as LiveBatch).events.length])).toEqual([
      ['madrid:batched', MAX_EVENTS_PER_BATCH],
      ['madrid:batched', 3],
    ]);
    const events = batches.flatMap((b) => (b.payload as LiveBatch).events);
    expect(events.map((e) => (e.event === 'occupancy' ? e.data.resourceId : e.event))).toEqual([
      ...deltas.map((d) => d.resourceId),
      'release',
    ]);
    // the next turn starts a new batch
    publisher.alert({ ...alert, siteId: 'madrid' });
    await turn();
    expect(emitted.filter((e) => e.event === 'batch')).toHaveLength(3);
  });
});
