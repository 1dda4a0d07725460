import { Candidate } from './candidate';
import { DeviceLookup, mapCandidate } from './event-mapper';

const devices: Record<string, { type: 'door' | 'sensor'; resourceIds: string[] }> = {
  'door-a': { type: 'door', resourceIds: ['room-1', 'room-2'] },
  'pir-1': { type: 'sensor', resourceIds: ['room-1'] },
  'counter-main': { type: 'sensor', resourceIds: [] },
};
const lookup: DeviceLookup = {
  resolve: async (siteId, type, id) => {
    const device = siteId === 's1' ? devices[id] : undefined;
    return device && device.type === type ? { resourceIds: device.resourceIds } : null;
  },
  resourceExists: async (siteId, id) => siteId === 's1' && ['room-1', 'room-2'].includes(id),
};
const limits = { maxFutureSkewMs: 300_000, maxAgeMs: 30 * 86_400_000 };
const at = new Date('2026-03-10T12:00:00Z');
const ts = '2026-03-10T11:59:00Z';

const door = (deviceId: string, siteId = 's1'): Candidate => ({
  type: 'door',
  siteId,
  deviceId,
  topic: null,
  raw: '{}',
  payload: { id: 'e1', ts, credential: 'c', result: 'granted' },
});
const sensor = (deviceId: string): Candidate => ({
  type: 'sensor',
  siteId: 's1',
  deviceId,
  topic: null,
  raw: '{}',
  payload: { id: 'e2', ts, kind: 'presence', value: 1 },
});
const booking = (resource: string): Candidate => ({
  type: 'booking',
  siteId: 's1',
  deviceId: null,
  topic: null,
  raw: '{}',
  payload: {
    id: 'e3',
    ts,
    booking: 'b1',
    resource,
    start: '2026-03-10T13:00:00Z',
    end: '2026-03-10T14:00:00Z',
    status: 'created',
  },
});

describe('mapCandidate', () => {
  it('attaches every room a door serves', async () => {
    const result = await mapCandidate(door('door-a'), lookup, at, limits);
    expect(result.ok && result.event.type === 'door' && result.event.resourceIds).toEqual([
      'room-1',
      'room-2',
    ]);
  });

  it('attaches the watched resource to a sensor reading, or none for a site-wide counter', async () => {
    const mapped = await mapCandidate(sensor('pir-1'), lookup, at, limits);
    expect(mapped.ok && mapped.event.type === 'sensor' && mapped.event.resourceId).toBe('room-1');
    const counter = await mapCandidate(sensor('counter-main'), lookup, at, limits);
    expect(counter.ok && counter.event.type === 'sensor' && counter.event.resourceId).toBeNull();
  });

  it('refuses unknown devices, devices of another type and devices of another site by name', async () => {
    expect(await mapCandidate(door('door-x'), lookup, at, limits)).toEqual({
      ok: false,
      reason: 'unknown door door-x at site s1',
      path: 'door',
    });
    expect(await mapCandidate(door('pir-1'), lookup, at, limits)).toMatchObject({ ok: false, path: 'door' });
    expect(await mapCandidate(door('door-a', 's2'), lookup, at, limits)).toEqual({
      ok: false,
      reason: 'unknown door door-a at site s2',
      path: 'door',
    });
    expect(await mapCandidate(sensor('door-a'), lookup, at, limits)).toMatchObject({
      ok: false,
      path: 'sensor',
    });
  });

  it('refuses bookings of unknown resources', async () => {
    expect((await mapCandidate(booking('room-1'), lookup, at, limits)).ok).toBe(true);
    expect(await mapCandidate(booking('room-9'), lookup, at, limits)).toEqual({
      ok: false,
      reason: 'unknown resource room-9 at site s1',
      path: 'resource',
    });
  });

  it('carries the stamped times', async () => {
    const result = await mapCandidate(door('door-a'), lookup, at, limits);
    expect(result.ok && result.event).toMatchObject({
      siteId: 's1',
      eventId: 'e1',
      ts: new Date(ts),
      deviceTs: new Date(ts),
      receivedAt: at,
      clockSkewMs: null,
    });
    const old = {
      ...door('door-a'),
      payload: { ...door('door-a').payload, ts: '2025-01-01T00:00:00Z' },
    } as Candidate;
    expect(await mapCandidate(old, lookup, at, limits)).toEqual({
      ok: false,
      reason: 'timestamp is older than 30 days',
      path: 'ts',
    });
  });
});
