import { notFound } from '@cw/common';
import { Database } from '@cw/database';
import type { BookingRelease, LiveAlert, OccupancyDelta, OccupancySnapshot, ResourceState } from '@cw/events';
import { LiveSnapshotSource } from '@cw/realtime';
import { siteDocument, uniqueId } from '../support/factories';
import {
  connectLive,
  LiveApp,
  LiveClient,
  LiveRecorder,
  startLiveApp,
  startPublisherOnly,
} from '../support/live-app';
import { openSeededDatabase } from '../support/seeded-database';

const SINCE = '2025-03-03T09:00:00.000Z';

const stateOf = (siteId: string, resourceId: string, state: ResourceState['state']): ResourceState => ({
  siteId,
  resourceId,
  state,
  occupancy: null,
  bookingId: null,
  since: SINCE,
});

const deltaOf = (siteId: string, resourceId: string, state: ResourceState['state']): OccupancyDelta => ({
  ...stateOf(siteId, resourceId, state),
  previous: 'free',
});

const releaseOf = (siteId: string): BookingRelease => ({
  releaseId: `rel-${siteId}`,
  siteId,
  bookingId: `b-${siteId}`,
  resourceId: 'room-1',
  memberId: 'm-1',
  reason: 'no_show',
  bookingStart: '2025-03-03T09:00:00.000Z',
  bookingEnd: '2025-03-03T10:00:00.000Z',
  decidedAt: '2025-03-03T09:15:00.000Z',
  releasedAt: '2025-03-03T09:15:01.000Z',
});

const alertOf = (siteId: string): LiveAlert => ({
  siteId,
  kind: 'device_offline',
  severity: 'warning',
  message: 'Room 2 presence sensor has been silent for 30 minutes',
  resourceId: 'room-2',
  at: '2025-03-03T09:30:00.000Z',
});

/** Snapshots the test controls: known sites answer their states, others not_found, `broken` an outage. */
class TestSnapshots implements LiveSnapshotSource {
  readonly sites = new Map<string, ResourceState[]>();
  broken = new Set<string>();

  snapshot(siteId: string): Promise<OccupancySnapshot> {
    if (this.broken.has(siteId)) return Promise.reject(new Error('database unreachable'));
    const resources = this.sites.get(siteId);
    if (!resources) return Promise.reject(notFound(`site ${siteId}`));
    return Promise.resolve({ siteId, at: SINCE, resources });
  }
}

describe('/live socket.io gateway (embedded TimescaleDB, in-memory adapter)', () => {
  let db: Database;
  let live: LiveApp;
  const snapshots = new TestSnapshots();
  const clients: LiveClient[] = [];
  let siteA: string;
  let siteB: string;
  let managerA: string;
  let managerB: string;
  let admin: string;

  const connect = async (token: string): Promise<LiveClient> => {
    const client = await connectLive(live.url, { token });
    clients.push(client);
    return client;
  };
  const join = (client: LiveClient, site: string) => client.timeout(5000).emitWithAck('join', { site });

  beforeAll(async () => {
    db = await openSeededDatabase();
    live = await startLiveApp(db, { snapshotSource: snapshots });
    siteA = uniqueId('live-a');
    siteB = uniqueId('live-b');
    await live.putSite(siteA, siteDocument());
    await live.putSite(siteB, siteDocument({ name: 'Other' }));
    snapshots.sites.set(siteA, [stateOf(siteA, 'room-1', 'free'), stateOf(siteA, 'room-2', 'booked')]);
    snapshots.sites.set(siteB, [stateOf(siteB, 'room-1', 'occupied')]);
    managerA = await live.createKey('manager', siteA);
    managerB = await live.createKey('manager', siteB);
    admin = await live.createKey('admin', null);
  });

  afterEach(() => {
    clients.splice(0).forEach((client) => client.disconnect());
  });

  afterAll(async () => {
    await live?.close();
    await db?.close();
  });

  describe('handshake', () => {
    it('refuses a connection without a key, or with an unknown one, with connect_error "unauthenticated"', async () => {
      await expect(connectLive(live.url)).rejects.toThrow('unauthenticated');
      await expect(connectLive(live.url, { token: 'cwk_not-a-key' })).rejects.toThrow('unauthenticated');
      await expect(connectLive(live.url, { header: 'Basic bWU6cHc=' })).rejects.toThrow('unauthenticated');
    });

    it('accepts a key in auth.token or in an Authorization bearer header', async () => {
      const byAuth = await connect(managerA);
      expect(byAuth.connected).toBe(true);
      const byHeader = await connectLive(live.url, { header: `Bearer ${managerA}` });
      clients.push(byHeader);
      expect(await join(byHeader, siteA)).toEqual({ ok: true });
    });
  });

  describe('join', () => {
    it("refuses another site's room, and sends that site nothing", async () => {
      const client = await connect(managerA);
      const recorder = new LiveRecorder(client);
      expect(await join(client, siteB)).toEqual({ ok: false, error: 'forbidden' });
      // The sentinel on the client's own site arrives after anything misrouted to it from site B.
      expect(await join(client, siteA)).toEqual({ ok: true });
      live.publisher.occupancy(deltaOf(siteB, 'room-1', 'free'));
      live.publisher.occupancy(deltaOf(siteA, 'room-1', 'occupied'));
      await recorder.until((events) => events.some((e) => e.event === 'occupancy'));
      expect(recorder.events.map((e) => (e.payload as { siteId: string }).siteId)).toEqual([siteA, siteA]);
    });

    it('refuses a device key, a malformed request and an unknown site', async () => {
      const device = await connect(await live.createKey('device', siteA));
      expect(await join(device, siteA)).toEqual({ ok: false, error: 'forbidden' });
      const client = await connect(admin);
      expect(await join(client, 'no spaces allowed')).toEqual({ ok: false, error: 'validation_failed' });
      expect(await client.timeout(5000).emitWithAck('join', {} as { site: string })).toEqual({
        ok: false,
        error: 'validation_failed',
      });
      expect(await join(client, uniqueId('ghost'))).toEqual({ ok: false, error: 'not_found' });
    });

    it('answers "unavailable" when the snapshot cannot be read, and leaves the socket out of the room', async () => {
      const broken = uniqueId('broken');
      snapshots.broken.add(broken);
      const client = await connect(admin);
      const recorder = new LiveRecorder(client);
      expect(await join(client, broken)).toEqual({ ok: false, error: 'unavailable' });
      expect(await join(client, siteA)).toEqual({ ok: true });
      live.publisher.occupancy(deltaOf(broken, 'room-1', 'occupied'));
      live.publisher.alert(alertOf(siteA));
      await recorder.until((events) => events.some((e) => e.event === 'alert'));
      expect(recorder.names()).toEqual(['snapshot', 'alert']);
    });
  });

  describe('events', () => {
    it('sends the snapshot first, then the deltas of the joined site only', async () => {
      const [a, alsoA, b] = [await connect(managerA), await connect(admin), await connect(managerB)];
      const [recA, recAlsoA, recB] = [a, alsoA, b].map((client) => new LiveRecorder(client));
      expect(await join(a, siteA)).toEqual({ ok: true });
      expect(await join(alsoA, siteA)).toEqual({ ok: true });
      expect(await join(b, siteB)).toEqual({ ok: true });
      // The snapshot is in the socket's hands before the join is acknowledged.
      expect(recA.events).toEqual([
        { event: 'snapshot', payload: { siteId: siteA, at: SINCE, resources: snapshots.sites.get(siteA) } },
      ]);

      const deltaA = deltaOf(siteA, 'room-1', 'occupied');
      const deltaB = deltaOf(siteB, 'room-1', 'free');
      live.publisher.occupancy(deltaA);
      live.publisher.occupancy(deltaB);

      for (const recorder of [recA, recAlsoA]) {
        await recorder.until((events) => events.length === 2);
        expect(recorder.events[1]).toEqual({ event: 'occupancy', payload: deltaA });
      }
      // Per-socket order holds: had site A's delta reached b, it would have come before b's own.
      await recB.until((events) => events.length === 2);
      expect(recB.names()).toEqual(['snapshot', 'occupancy']);
      expect(recB.events[1].payload).toEqual(deltaB);
    });

    it('delivers releases and alerts to the site room', async () => {
      const client = await connect(managerA);
      const recorder = new LiveRecorder(client);
      await join(client, siteA);
      live.publisher.release(releaseOf(siteA));
      live.publisher.alert(alertOf(siteA));
      await recorder.until((events) => events.length === 3);
      expect(recorder.events.slice(1)).toEqual([
        { event: 'release', payload: releaseOf(siteA) },
        { event: 'alert', payload: alertOf(siteA) },
      ]);
    });

    it('stops sending a site after leave', async () => {
      const client = await connect(admin);
      const recorder = new LiveRecorder(client);
      await join(client, siteA);
      await join(client, siteB);
      client.emit('leave', { site: siteA });
      // A round trip after leave: the server has handled it once this join is acknowledged.
      await join(client, siteB);
      live.publisher.alert(alertOf(siteA));
      live.publisher.alert(alertOf(siteB));
      await recorder.until((events) => events.some((e) => e.event === 'alert'));
      expect(recorder.events.filter((e) => e.event === 'alert').map((e) => e.payload)).toEqual([
        alertOf(siteB),
      ]);
    });

    it('sends a socket that joined with batch the same events as one batch per turn, in order', async () => {
      const [single, batched] = [await connect(managerA), await connect(managerA)];
      const [recSingle, recBatched] = [single, batched].map((client) => new LiveRecorder(client));
      expect(await join(single, siteA)).toEqual({ ok: true });
      expect(await batched.timeout(5000).emitWithAck('join', { site: siteA, batch: true })).toEqual({
        ok: true,
      });
      expect(await batched.timeout(5000).emitWithAck('join', { site: siteA, batch: 'yes' } as never)).toEqual(
        { ok: false, error: 'validation_failed' },
      );

      // A burst in one turn: 600 deltas, a release and an alert.
      const deltas = Array.from({ length: 600 }, (_, i) => deltaOf(siteA, `desk-${i}`, 'occupied'));
      deltas.forEach((d) => live.publisher.occupancy(d));
      live.publisher.release(releaseOf(siteA));
      live.publisher.alert(alertOf(siteA));
      const sent = [
        ...deltas.map((data) => ({ event: 'occupancy', data })),
        { event: 'release', data: releaseOf(siteA) },
        { event: 'alert', data: alertOf(siteA) },
      ];

      await recSingle.until((events) => events.length === 1 + sent.length);
      expect(recSingle.events.slice(1).map((e) => ({ event: e.event, data: e.payload }))).toEqual(sent);
      // Two frames (at most 500 events each) instead of 602, the same events in the same order.
      await recBatched.until((events) => events.filter((e) => e.event === 'batch').length === 2);
      expect(recBatched.names()).toEqual(['snapshot', 'batch', 'batch']);
      const batches = recBatched.events
        .slice(1)
        .map((e) => e.payload as { siteId: string; events: unknown[] });
      expect(batches.map((b) => [b.siteId, b.events.length])).toEqual([
        [siteA, 500],
        [siteA, 102],
      ]);
      expect(batches.flatMap((b) => b.events)).toEqual(sent);

      // leave takes a batched socket out too: joined again without batch, it gets single events only
      batched.emit('leave', { site: siteA });
      expect(await join(batched, siteA)).toEqual({ ok: true });
      live.publisher.alert(alertOf(siteA));
      await recBatched.until((events) => events.length === 5);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(recBatched.names().slice(3)).toEqual(['snapshot', 'alert']);
    });

    it('lets engines publish when nobody listens, and in a process without the gateway', async () => {
      expect(() => live.publisher.occupancy(deltaOf(uniqueId('empty'), 'room-1', 'occupied'))).not.toThrow();
      const worker = await startPublisherOnly(db);
      try {
        expect(() => {
          worker.publisher.occupancy(deltaOf(siteA, 'room-1', 'occupied'));
          worker.publisher.release(releaseOf(siteA));
          worker.publisher.alert(alertOf(siteA));
        }).not.toThrow();
      } finally {
        await worker.close();
      }
    });
  });
});
