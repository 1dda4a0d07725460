import { DynamicModule, Global, INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createServer, IncomingHttpHeaders } from 'node:http';
import type { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import request from 'supertest';
import { AuthModule } from '@cw/auth';
import { ErrorFilter } from '@cw/common';
import { ConfigModule } from '@cw/config';
import { ClockModule } from '@cw/runtime';
import { Database } from '@cw/database';
import { BookingRelease } from '@cw/events';
import { BullMqJobQueue, JobQueue, JobsModule } from '@cw/jobs';
import { siteDocumentSchema, SitesCoreModule, SitesService } from '@cw/sites';
import { verifyWebhook, WebhookDispatcher, WebhooksModule } from '@cw/webhooks';
import { siteDocument, uniqueId } from '../support/factories';
import { waitFor } from '../support/mqtt-client';
import { openSeededDatabase } from '../support/seeded-database';
import { resolveService, ResolvedService } from '../support/service-discovery';

const ADMIN = 'webhooks-bullmq-admin-key-0123456789';

@Global()
@Module({})
class TestDatabaseModule {
  static of(db: Database): DynamicModule {
    return {
      module: TestDatabaseModule,
      providers: [{ provide: Database, useValue: db }],
      exports: [Database],
    };
  }
}

/**
 * The production path: deliveries queued in BullMQ on the machine's Redis (a key prefix of their own, deleted
 * afterwards), delivered to a real HTTP receiver on loopback.
 */
describe('webhooks on BullMQ (real Redis)', () => {
  let redis: ResolvedService;
  let db: Database;
  let app: INestApplication;
  const prefix = `cwt-webhooks-${process.pid}-${Date.now().toString(36)}`;
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  let failFirst = 0;
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(failFirst-- > 0 ? 503 : 204).end();
    });
  });
  let hookUrl: string;

  beforeAll(async () => {
    redis = await resolveService('redis');
    db = await openSeededDatabase();
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({
          ADMIN_API_KEY: ADMIN,
          LOG_LEVEL: 'silent',
          REDIS_URL: redis.url,
          JOBS_PREFIX: prefix,
          WEBHOOK_ALLOW_PRIVATE: 'true',
          WEBHOOK_RETRY_BASE_MS: '100',
          WEBHOOK_MAX_ATTEMPTS: '3',
        }),
        ClockModule,
        TestDatabaseModule.of(db),
        AuthModule,
        SitesCoreModule,
        JobsModule,
        WebhooksModule,
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new ErrorFilter());
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    if (redis) {
      const client = new Redis(redis.url);
      const keys = await client.keys(`${prefix}:*`);
      if (keys.length > 0) await client.del(...keys);
      await client.quit();
      await redis.stop();
    }
  });

  const as = () => {
    const http = request(app.getHttpServer() as Server);
    return {
      get: (path: string) => http.get(path).set('Authorization', `Bearer ${ADMIN}`),
      post: (path: string, body: object) =>
        http.post(path).set('Authorization', `Bearer ${ADMIN}`).send(body),
    };
  };
  const release = (siteId: string, bookingId: string): BookingRelease => ({
    releaseId: `rel-${bookingId}`,
    siteId,
    bookingId,
    resourceId: 'room-2',
    memberId: null,
    reason: 'ghost',
    bookingStart: '2026-03-10T10:00:00.000Z',
    bookingEnd: '2026-03-10T12:00:00.000Z',
    decidedAt: '2026-03-10T10:40:00.000Z',
    releasedAt: '2026-03-10T10:40:00.500Z',
  });
  const setup = async () => {
    const site = uniqueId('whq');
    await app.get(SitesService).putSite(site, siteDocumentSchema.parse(siteDocument()));
    const created = await as().post('/v1/webhooks', { url: hookUrl, events: ['*'], site });
    expect(created.status).toBe(201);
    return { site, ...(created.body as { id: string; secret: string }) };
  };
  type Delivery = { status: string; attempts: { attempt: number; statusCode: number | null }[] };
  const settled = (id: string) =>
    waitFor(
      async () => (await as().get(`/v1/webhooks/${id}/deliveries`)).body as Delivery[],
      (list) => list.length > 0 && list.every((d) => d.status !== 'pending'),
    );

  it('runs on BullMQ', () => {
    expect(app.get(JobQueue)).toBeInstanceOf(BullMqJobQueue);
  });

  it('delivers a published event once, signed', async () => {
    received.length = 0;
    const { site, id, secret } = await setup();
    const ids = await app
      .get(WebhookDispatcher)
      .publish(site, 'booking.released', 'rel-q1', release(site, 'q1'));
    expect(
      await app.get(WebhookDispatcher).publish(site, 'booking.released', 'rel-q1', release(site, 'q1')),
    ).toEqual([]);
    expect(ids).toHaveLength(1);
    const [delivery] = await settled(id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received).toHaveLength(1);
    expect(received[0].headers['webhook-id']).toBe('rel-q1');
    expect(verifyWebhook(secret, received[0].headers, received[0].body)).toBe(true);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: [{ attempt: 1, statusCode: 204 }] });
  });

  it('retries through the queue after a failure and logs every attempt', async () => {
    received.length = 0;
    failFirst = 2;
    const { site, id } = await setup();
    await app.get(WebhookDispatcher).publish(site, 'booking.released', 'rel-q2', release(site, 'q2'));
    const [delivery] = await settled(id);
    expect(delivery.status).toBe('delivered');
    expect(delivery.attempts.map((a) => [a.attempt, a.statusCode])).toEqual([
      [1, 503],
      [2, 503],
      [3, 204],
    ]);
    expect(received.map((r) => r.headers['webhook-id'])).toEqual(['rel-q2', 'rel-q2', 'rel-q2']);
  });
});
