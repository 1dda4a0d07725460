import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { IngestAppModule } from '../../apps/ingest/src/ingest-app.module';
import { Principal } from '@cw/auth';
import { AppConfig, loadConfig } from '@cw/config';
import { Database, EmbeddedDatabase } from '@cw/database';
import { OccupancySnapshot, PlatformEvent } from '@cw/events';
import { decodeBatch, encodeBatch, IngestService, StoredEventsBus, StoredEventsFeed } from '@cw/ingest';
import { BorrowedDatabase } from '../support/borrowed-database';
import { waitFor } from '../support/mqtt-client';
import { resolveService, ResolvedService } from '../support/service-discovery';
import { openSeededDatabase } from '../support/seeded-database';
import { ADMIN_TOKEN, startPlatform, TestPlatform } from '../support/test-app';
import { siteDocument, uniqueId } from '../support/factories';

const admin: Principal = { keyId: 'test', name: 'test', role: 'admin', siteId: null, memberId: null };

/**
 * The production topology splits ingest from the engines: `apps/ingest` stores the events, the api runs the
 * occupancy and no-show engines. With REDIS_URL, stored batches cross over Redis, so live state and live check-in
 * work across processes. The loopback PostgreSQL has no TimescaleDB extension (pg_available_extensions lists only
 * btree_gist), so both processes share the embedded TimescaleDB as their database server; Redis is the real one.
 */
describe('stored events across processes (Redis)', () => {
  let redis: ResolvedService;
  let db: EmbeddedDatabase;
  let engines: TestPlatform;
  let ingestApp: INestApplication;
  const prefix = `cwfeed${process.pid}${Date.now().toString(36)}`;
  const site = 'feed1';
  const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

  beforeAll(async () => {
    redis = await resolveService('redis');
    db = await openSeededDatabase();
    engines = await startPlatform(new BorrowedDatabase(db), {
      REDIS_URL: redis.url,
      JOBS_PREFIX: prefix,
      INGEST_FLUSH_MS: '10',
    });
    await engines.putSite(site, siteDocument());
    const config = new AppConfig(
      loadConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        PORT: '0',
        MQTT_PORT: '0',
        REDIS_URL: redis.url,
        JOBS_PREFIX: prefix,
        INGEST_FLUSH_MS: '10',
      }),
    );
    const moduleRef = await Test.createTestingModule({ imports: [IngestAppModule.register(config)] })
      .overrideProvider(Database)
      .useValue(new BorrowedDatabase(db))
      .compile();
    ingestApp = moduleRef.createNestApplication({ logger: false });
    await ingestApp.init();
  });

  afterAll(async () => {
    await ingestApp?.close();
    await engines?.close();
    await db?.close();
    await redis?.stop();
  });

  const roomState = async (resourceId: string) =>
    (
      (await request(engines.url).get(`/v1/sites/${site}/occupancy`).set(auth)).body as OccupancySnapshot
    ).resources.find((r) => r.resourceId === resourceId);
  const bookingStatus = async (id: string) =>
    (await request(engines.url).get(`/v1/bookings/${id}?site=${site}`).set(auth)).body.status as string;

  it('turns state and checks a booking in from a reading stored by the ingest process', async () => {
    // The ingest process runs no engine: nothing there listens, so it only publishes.
    expect(ingestApp.get(StoredEventsFeed).listening).toBe(false);
    expect(engines.app.get(StoredEventsFeed).listening).toBe(true);
    const id = uniqueId('bk');
    const start = new Date(Date.now() - 60_000);
    await request(engines.url)
      .post('/v1/bookings')
      .set(auth)
      .send({
        site,
        id,
        resource: 'room-1',
        member: 'm1',
        start: start.toISOString(),
        end: new Date(start.getTime() + 3600_000).toISOString(),
      })
      .expect(201);
    expect(
      await waitFor(
        () => roomState('room-1'),
        (r) => r?.state === 'awaiting_checkin',
        5000,
      ),
    ).toBeDefined();

    const result = await ingestApp.get(IngestService).ingestHttp(
      [
        {
          type: 'sensor',
          site,
          sensor: 'pir-room-1',
          id: uniqueId('ev'),
          ts: new Date().toISOString(),
          kind: 'presence',
          value: 1,
        },
      ],
      admin,
    );
    expect(result).toMatchObject({ accepted: 1, rejected: [] });
    // Grace is the default 15 minutes: only the stored reading, heard across processes, can check it in this soon.
    expect(
      await waitFor(
        () => bookingStatus(id),
        (s) => s === 'checked_in',
        5000,
      ),
    ).toBe('checked_in');
    expect(
      await waitFor(
        () => roomState('room-1'),
        (r) => r?.state === 'occupied',
        5000,
      ),
    ).toMatchObject({
      state: 'occupied',
      bookingId: id,
    });
  });

  it('hears each batch once in a process that both stores and listens', async () => {
    const heard: PlatformEvent[][] = [];
    const off = engines.app.get(StoredEventsBus).on('stored', (events) => heard.push(events));
    try {
      const eventId = uniqueId('ev');
      await request(engines.url)
        .post('/v1/events')
        .set(auth)
        .send([
          {
            type: 'sensor',
            site,
            sensor: 'pir-room-2',
            id: eventId,
            ts: new Date().toISOString(),
            kind: 'presence',
            value: 0,
          },
        ])
        .expect(202);
      // Its own batch comes back over Redis too; it must not be heard a second time.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(heard.flat().filter((e) => e.eventId === eventId)).toHaveLength(1);
    } finally {
      off();
    }
  });

  it('encodes dates and skips its own messages', () => {
    const event = {
      type: 'sensor',
      siteId: site,
      eventId: 'e1',
      ts: new Date('2026-03-09T10:00:00Z'),
      deviceTs: new Date('2026-03-09T10:00:00Z'),
      receivedAt: new Date('2026-03-09T10:00:01Z'),
      clockSkewMs: null,
      sensorId: 's1',
      resourceId: 'r1',
      payload: { id: 'e1', ts: '2026-03-09T10:00:00Z', kind: 'presence', value: 1 },
    } as PlatformEvent;
    const message = encodeBatch('a', [event]);
    expect(decodeBatch('a', message)).toBeNull();
    expect(decodeBatch('b', message)).toEqual([event]);
  });
});
