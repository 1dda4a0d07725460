import { createServer, Server, Socket, connect as tcpConnect } from 'node:net';
import { AddressInfo } from 'node:net';
import { Database } from '@cw/database';
import type { OccupancyDelta, OccupancySnapshot } from '@cw/events';
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
import { resolveService, ResolvedService } from '../support/service-discovery';

const emptySnapshots: LiveSnapshotSource = {
  snapshot: (siteId: string): Promise<OccupancySnapshot> =>
    Promise.resolve({ siteId, at: new Date().toISOString(), resources: [] }),
};

const occupied = (siteId: string, resourceId: string): OccupancyDelta => ({
  siteId,
  resourceId,
  state: 'occupied',
  previous: 'free',
  occupancy: 1,
  bookingId: null,
  since: '2025-03-03T09:00:00.000Z',
});

/** A TCP hop between one app and Redis that the test can cut, as a network outage would. */
class OutageProxy {
  private readonly sockets = new Set<Socket>();
  private up = true;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(target: string): Promise<OutageProxy> {
    const { hostname, port } = new URL(target);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = new OutageProxy(server, `redis://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('connection', (client) => {
      if (!proxy.up) return client.destroy();
      const upstream = tcpConnect(Number(port || 6379), hostname);
      for (const [from, to] of [
        [client, upstream],
        [upstream, client],
      ]) {
        proxy.sockets.add(from);
        from.pipe(to);
        from.on('error', () => to.destroy());
        from.on('close', () => {
          proxy.sockets.delete(from);
          to.destroy();
        });
      }
    });
    return proxy;
  }

  cut(): void {
    this.up = false;
    this.sockets.forEach((socket) => socket.destroy());
  }

  restore(): void {
    this.up = true;
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Production runs several api processes behind a load balancer, and workers without HTTP: a client's socket is on
 * one of them, the engine that publishes may be on another. The socket.io Redis adapter joins them up.
 */
describe('/live across processes (socket.io Redis adapter, real Redis)', () => {
  let redis: ResolvedService;
  let db: Database;
  let first: LiveApp;
  let second: LiveApp;
  let site: string;
  let otherSite: string;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    redis = await resolveService('redis');
    db = await openSeededDatabase();
    first = await startLiveApp(db, { snapshotSource: emptySnapshots, redisUrl: redis.url });
    second = await startLiveApp(db, { snapshotSource: emptySnapshots, redisUrl: redis.url });
    // Unique per run: every process on this Redis, other test runs included, receives these broadcasts.
    site = uniqueId('redis-site');
    otherSite = uniqueId('redis-other');
    await first.putSite(site, siteDocument());
    await first.putSite(otherSite, siteDocument({ name: 'Other' }));
  });

  afterEach(() => {
    clients.splice(0).forEach((client) => client.disconnect());
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await db?.close();
    await redis?.stop();
  });

  const joined = async (app: LiveApp, siteId: string): Promise<LiveRecorder> => {
    const client = await connectLive(app.url, { token: await app.createKey('manager', siteId) });
    clients.push(client);
    const recorder = new LiveRecorder(client);
    expect(await client.timeout(5000).emitWithAck('join', { site: siteId })).toEqual({ ok: true });
    return recorder;
  };

  it("delivers a publish on one api process to the site's clients on another, and only to them", async () => {
    const onSecond = await joined(second, site);
    const onFirst = await joined(first, site);
    const otherOnSecond = await joined(second, otherSite);
    first.publisher.occupancy(occupied(site, 'room-1'));
    // Sent after site's delta on the same path: once it arrives, a misrouted delta would have too.
    first.publisher.occupancy(occupied(otherSite, 'room-2'));
    for (const recorder of [onSecond, onFirst]) {
      await recorder.until((events) => events.length === 2);
      expect(recorder.events[1]).toEqual({ event: 'occupancy', payload: occupied(site, 'room-1') });
    }
    await otherOnSecond.until((events) => events.length === 2);
    expect(otherOnSecond.events[1].payload).toEqual(occupied(otherSite, 'room-2'));
  });

  it('delivers a publish from a process without the gateway (a worker) to clients of the api processes', async () => {
    const onFirst = await joined(first, site);
    const onSecond = await joined(second, site);
    const worker = await startPublisherOnly(db, redis.url);
    try {
      worker.publisher.occupancy(occupied(site, 'desk-1'));
      for (const recorder of [onFirst, onSecond]) {
        await recorder.until((events) => events.length === 2);
        expect(recorder.events[1]).toEqual({ event: 'occupancy', payload: occupied(site, 'desk-1') });
      }
    } finally {
      await worker.close();
    }
  });

  it('rides out a Redis outage without crashing, then delivers again', async () => {
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    const proxy = await OutageProxy.start(redis.url);
    const flaky = await startLiveApp(db, { snapshotSource: emptySnapshots, redisUrl: proxy.url });
    try {
      const onSecond = await joined(second, site);
      proxy.cut();
      flaky.publisher.occupancy(occupied(site, 'room-1'));
      await new Promise((resolve) => setTimeout(resolve, 500));
      proxy.restore();
      // ioredis reconnects with backoff and resubscribes; publish until one lands, as live traffic would.
      const deadline = Date.now() + 15_000;
      const after = () => onSecond.events.some((e) => (e.payload as OccupancyDelta).resourceId === 'room-2');
      while (!after() && Date.now() < deadline) {
        flaky.publisher.occupancy(occupied(site, 'room-2'));
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(after()).toBe(true);
    } finally {
      await flaky.close();
      await proxy.close();
      process.off('unhandledRejection', unhandled);
    }
    expect(unhandled).not.toHaveBeenCalled();
  });

  it('refuses to boot, without printing the URL, when Redis cannot be reached', async () => {
    const secret = 'redis://:hunter2@127.0.0.1:1';
    const attempt = startPublisherOnly(db, secret);
    await expect(attempt).rejects.toThrow('cannot reach Redis (REDIS_URL) for the socket.io adapter');
    await expect(attempt).rejects.not.toThrow('hunter2');
  });
});
