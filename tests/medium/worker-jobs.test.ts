import { DynamicModule, INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Queue } from 'bullmq';
import { createServer, IncomingHttpHeaders } from 'node:http';
import type { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import request from 'supertest';
import { ApiAppModule } from '../../apps/api/src/api-app.module';
import { WorkerAppModule } from '../../apps/worker/src/worker-app.module';
import { checkWorkerConfig } from '../../apps/worker/src/worker-topology';
import { BillingScheduler } from '@cw/billing';
import { AppConfig, Config, loadConfig } from '@cw/config';
import { Database, PgDatabase } from '@cw/database';
import { BookingRelease } from '@cw/events';
import { StoredEventsFeed } from '@cw/ingest';
import { BullMqJobQueue, JobQueue } from '@cw/jobs';
import { configureHttpApp } from '@cw/runtime';
import { siteDocumentSchema, SitesService } from '@cw/sites';
import { deliverJobId, deliverWebhookJob, WebhookDispatcher } from '@cw/webhooks';
import { siteDocument, uniqueId } from '../support/factories';
import { waitFor } from '../support/mqtt-client';
import { NativePostgres, openNativePostgres } from '../support/native-postgres';
import { resolveService, ResolvedService } from '../support/service-discovery';

const ADMIN = 'worker-jobs-admin-key-0123456789';

/** Every background job the worker must run: a job missing here is a job nobody runs beside JOBS_PROCESS=none. */
const WORKER_JOBS = [
  'kpi.maintain',
  'churn.daily',
  'reports.monthly',
  'billing.tick',
  'billing.run',
  'billing.overdue-reminders',
  'membership.daily',
  'access.grants.site',
  'access.grants.all',
  'webhooks.deliver',
  'database.planner-statistics',
];

/**
 * The production topology of jobs: an api with JOBS_PROCESS=none and a worker process, each its own Nest app with
 * its own connection pool, over BullMQ on the machine's Redis (a key prefix of their own, deleted afterwards), the
 * loopback Mosquitto and the native PostgreSQL. The api queues; only the worker runs.
 *
 * Migration 0010 (TimescaleDB continuous aggregates) cannot apply on plain PostgreSQL (see native-postgres.ts);
 * the apps boot on the migrated database given to them, with a stand-in for the one 0010 function they call at
 * boot. KPI upkeep runs against real TimescaleDB in kpi.test.ts; here it only has to be registered on the worker.
 */
describe('apps/worker runs the jobs an api with JOBS_PROCESS=none queues', () => {
  let native: NativePostgres;
  let redis: ResolvedService;
  let mqtt: ResolvedService;
  let env: Partial<Record<keyof Config, string>>;
  let api: INestApplication;
  let worker: INestApplication | undefined;
  const prefix = `cwt-worker-${process.pid}-${Date.now().toString(36)}`;
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  let hookUrl: string;
  let site: string;

  async function boot(module: DynamicModule): Promise<INestApplication> {
    // One pool per app, as two processes would have; each app closes its own at shutdown.
    const db = new PgDatabase({ connectionString: native.url, poolMax: 4 });
    const moduleRef = await Test.createTestingModule({ imports: [module] })
      .overrideProvider(Database)
      .useValue(db)
      .compile();
    const app = moduleRef.createNestApplication({ bodyParser: false });
    configureHttpApp(app);
    await app.init();
    return app;
  }

  const config = (extra: Partial<Record<keyof Config, string>> = {}) =>
    new AppConfig(loadConfig({ ...env, ...extra }));

  beforeAll(async () => {
    redis = await resolveService('redis');
    mqtt = await resolveService('mqtt');
    native = await openNativePostgres({ poolMax: 4 });
    // KpiMaintenance enables TimescaleDB's TSL features at boot through this function of migration 0010.
    await native.db.exec(`CREATE FUNCTION cw_enable_tsl() RETURNS boolean LANGUAGE sql AS 'SELECT false'`);
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: '0',
      DATABASE_URL: native.url,
      REDIS_URL: redis.url,
      MQTT_URL: mqtt.url,
      MQTT_TOPIC_PREFIX: prefix,
      JOBS_PREFIX: prefix,
      ADMIN_API_KEY: ADMIN,
      WEBHOOK_ALLOW_PRIVATE: 'true',
    };
    api = await boot(ApiAppModule.register(config({ JOBS_PROCESS: 'none' })));
    site = uniqueId('wk');
    await api.get(SitesService).putSite(site, siteDocumentSchema.parse(siteDocument()));
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await native?.close();
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    if (redis) {
      const client = new Redis(redis.url);
      const keys = await client.keys(`${prefix}:*`);
      if (keys.length > 0) await client.del(...keys);
      await client.quit();
      await redis.stop();
    }
    await mqtt?.stop();
  });

  const admin = () => {
    const http = request(api.getHttpServer() as Server);
    return {
      get: (path: string) => http.get(path).set('Authorization', `Bearer ${ADMIN}`),
      post: (path: string, body: object) =>
        http.post(path).set('Authorization', `Bearer ${ADMIN}`).send(body),
    };
  };
  const release = (bookingId: string): BookingRelease => ({
    releaseId: `rel-${bookingId}`,
    siteId: site,
    bookingId,
    resourceId: 'room-2',
    memberId: null,
    reason: 'no_show',
    bookingStart: '2026-03-10T10:00:00.000Z',
    bookingEnd: '2026-03-10T12:00:00.000Z',
    decidedAt: '2026-03-10T10:40:00.000Z',
    releasedAt: '2026-03-10T10:40:00.500Z',
  });
  type Delivery = { status: string; attempts: { attempt: number; statusCode: number | null }[] };

  let subscriptionId: string;
  let deliveryId: string;

  it('api alone: queues a webhook delivery in Redis and leaves it there', async () => {
    expect(api.get(JobQueue)).toBeInstanceOf(BullMqJobQueue);
    const created = await admin().post('/v1/webhooks', { url: hookUrl, events: ['*'], site });
    expect(created.status).toBe(201);
    subscriptionId = (created.body as { id: string }).id;
    const ids = await api.get(WebhookDispatcher).publish(site, 'booking.released', 'rel-w1', release('w1'));
    expect(ids).toHaveLength(1);
    deliveryId = ids[0];
    // The in-process queue delivers within milliseconds; a second leaves ample room for a stray consumer.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const queue = new Queue(deliverWebhookJob.name, { connection: { url: redis.url }, prefix });
    try {
      expect(await queue.getJobState(deliverJobId(deliveryId, 1))).toBe('waiting');
    } finally {
      await queue.close();
    }
    expect(received).toHaveLength(0);
    const list = await admin().get(`/v1/webhooks/${subscriptionId}/deliveries`);
    expect((list.body as Delivery[]).map((d) => d.status)).toEqual(['pending']);
  });

  it('a worker process takes the queued delivery and delivers it once', async () => {
    const workerConfig = config();
    expect(() => checkWorkerConfig(workerConfig)).not.toThrow();
    worker = await boot(WorkerAppModule.register(workerConfig));
    const deliveries = await waitFor(
      async () => (await admin().get(`/v1/webhooks/${subscriptionId}/deliveries`)).body as Delivery[],
      (list) => list.length === 1 && list[0].status !== 'pending',
    );
    expect(deliveries[0]).toMatchObject({ status: 'delivered', attempts: [{ attempt: 1, statusCode: 204 }] });
    expect(received.map((r) => r.headers['webhook-id'])).toEqual(['rel-w1']);
  });

  it('every job the api leaves is run by the worker; the api runs only its no-show timers', () => {
    const apiJobs = api.get(JobQueue).registeredJobs();
    const workerJobs = worker!.get(JobQueue).registeredJobs();
    const workerRuns = workerJobs.filter((j) => j.runsHere).map((j) => j.name);
    expect(apiJobs.filter((j) => j.runsHere).map((j) => j.name)).toEqual(['noshow.decide']);
    expect(apiJobs.filter((j) => !j.runsHere && !workerRuns.includes(j.name))).toEqual([]);
    expect([...workerRuns].sort()).toEqual([...WORKER_JOBS].sort());
    expect(workerJobs.every((j) => j.runsHere)).toBe(true);
  });

  it('a billing run asked for by the api runs on the worker', async () => {
    const asked = await api.get(BillingScheduler).tick();
    const period = asked.runs.find((r) => r.siteId === site)?.period;
    expect(period).toMatch(/^\d{4}-\d{2}$/);
    const runs = await waitFor(
      async () =>
        (
          await native.db.query<{ finished: boolean }>(
            'SELECT finished_at IS NOT NULL AS finished FROM billing_runs WHERE site_id = $1',
            [site],
          )
        ).rows,
      (rows) => rows.length > 0 && rows.every((r) => r.finished),
    );
    expect(runs).toEqual([{ finished: true }]);
  });

  it('the worker does not re-emit the events other processes store (the api applies them, once)', () => {
    // Its modules listen to the bus too (external bookings, KPI dirty days): relayed there, each external booking
    // event would be applied twice.
    expect(worker!.get(StoredEventsFeed, { strict: false }).listening).toBe(false);
    expect(api.get(StoredEventsFeed, { strict: false }).listening).toBe(true);
  });
});
