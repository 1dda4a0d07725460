import type { BookingRelease, LiveAlert, OccupancyDelta } from '@cw/events';
import { LivePublisher } from './live.publisher';
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

/** A transport whose rooms record what is emitted to them. */
function recordingTransport(attached: boolean) {
  const emitted: { room: string; event: string; payload: unknown }[] = [];
  const transport = {
    room: (siteId: string) =>
      attached
        ? ({
            emit: (event: string, payload: unknown) => {
              emitted.push({ room: siteId, event, payload });
              return true;
            },
          } as unknown as LiveRoom)
        : undefined,
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
