import { DynamicModule, Global, INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createHmac } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server as HttpServer } from 'node:http';
import type { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { ApiKeysService, AuthModule, Role } from '@cw/auth';
import { ErrorFilter } from '@cw/common';
import { Config, ConfigModule } from '@cw/config';
import { ClockModule } from '@cw/runtime';
import { Database } from '@cw/database';
import { BookingRelease } from '@cw/events';
import { JobsModule } from '@cw/jobs';
import { siteDocumentSchema, SitesCoreModule, SitesService } from '@cw/sites';
import { verifyWebhook, WebhookDispatcher, WebhooksModule, WebhooksRepository } from '@cw/webhooks';
import { siteDocument, uniqueId } from '../support/factories';
import { waitFor } from '../support/mqtt-client';
import { openSeededDatabase } from '../support/seeded-database';

const ADMIN = 'webhooks-medium-admin-key-0123456789';

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

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A real HTTP endpoint on loopback; `respond` picks each answer's status, or 'hang' to never answer. */
async function startReceiver(respond: (index: number) => number | 'hang' = () => 200) {
  const received: Received[] = [];
  const server: HttpServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      const status = respond(received.length - 1);
      if (status !== 'hang') res.writeHead(status).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const release = (siteId: string, bookingId: string): BookingRelease => ({
  releaseId: `rel-${bookingId}`,
  siteId,
  bookingId,
  resourceId: 'room-1',
  memberId: 'member-7',
  reason: 'no_show',
  bookingStart: '2026-03-10T10:00:00.000Z',
  bookingEnd: '2026-03-10T11:00:00.000Z',
  decidedAt: '2026-03-10T10:15:00.000Z',
  releasedAt: '2026-03-10T10:15:01.000Z',
});

async function startApp(db: Database, overrides: Partial<Record<keyof Config, string>>) {
  const moduleRef = await Test.createTestingModule({
    imports: [
      // REDIS_URL empty: the in-process queue, whatever the developer's environment says.
      ConfigModule.forRoot({ ADMIN_API_KEY: ADMIN, LOG_LEVEL: 'silent', REDIS_URL: '', ...overrides }),
      ClockModule,
      TestDatabaseModule.of(db),
      AuthModule,
      SitesCoreModule,
      JobsModule,
      WebhooksModule,
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.useGlobalFilters(new ErrorFilter());
  await app.init();
  return app;
}

function client(app: INestApplication) {
  return (token: string = ADMIN) => {
    const http = request(app.getHttpServer() as Server);
    const auth = (req: request.Test) => req.set('Authorization', `Bearer ${token}`);
    return {
      get: (path: string) => auth(http.get(path)),
      post: (path: string, body?: object) => auth(http.post(path)).send(body),
      delete: (path: string) => auth(http.delete(path)),
    };
  };
}

describe('webhooks (embedded TimescaleDB, in-process queue, real HTTP receivers)', () => {
  let db: Database;
  let app: INestApplication;
  let as: ReturnType<typeof client>;
  const receivers: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    db = await openSeededDatabase();
    app = await startApp(db, {
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_TIMEOUT_MS: '400',
      WEBHOOK_RETRY_BASE_MS: '50',
      WEBHOOK_MAX_ATTEMPTS: '3',
    });
    as = client(app);
  });

  afterEach(async () => {
    await Promise.all(receivers.splice(0).map((r) => r.close()));
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const receiver = async (respond?: (index: number) => number | 'hang') => {
    const started = await startReceiver(respond);
    receivers.push(started);
    return started;
  };
  const newSite = async () => {
    const id = uniqueId('wh');
    await app.get(SitesService).putSite(id, siteDocumentSchema.parse(siteDocument()));
    return id;
  };
  const subscribe = async (url: string, site: string, events: string[] = ['booking.released']) => {
    const response = await as().post('/v1/webhooks', { url, events, site });
    expect(response.status).toBe(201);
    return response.body as { id: string; secret: string };
  };
  const keyFor = async (role: Role, site: string | null) =>
    (await app.get(ApiKeysService).create({ name: `test ${role}`, role, siteId: site })).token;
  const publish = (site: string, bookingId: string) =>
    app
      .get(WebhookDispatcher)
      .publish(site, 'booking.released', `rel-${bookingId}`, release(site, bookingId));
  const deliveries = async (subscriptionId: string) =>
    (await as().get(`/v1/webhooks/${subscriptionId}/deliveries`)).body as {
      id: string;
      status: string;
      attemptCount: number;
      lastError: string | null;
      attempts: { attempt: number; statusCode: number | null; error: string | null; durationMs: number }[];
    }[];
  const settled = (subscriptionId: string) =>
    waitFor(
      () => deliveries(subscriptionId),
      (list) => list.length > 0 && list.every((d) => d.status !== 'pending'),
    );
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const sortedIds = (received: { headers: Record<string, unknown> }[]) =>
    received.map((r) => String(r.headers['webhook-id'])).sort();

  it('delivers a published release once, signed with the secret shown at creation only', async () => {
    const site = await newSite();
    const hook = await receiver();
    const { id, secret } = await subscribe(hook.url, site);
    expect(secret).toMatch(/^whsec_/);
    const fetched = await as().get(`/v1/webhooks/${id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({
      id,
      url: hook.url,
      events: ['booking.released'],
      site,
      status: 'active',
    });
    expect(JSON.stringify(fetched.body)).not.toContain(secret);

    const ids = await publish(site, 'b1');
    expect(ids).toHaveLength(1);
    await waitFor(
      async () => hook.received.length,
      (n) => n > 0,
    );
    await sleep(300);
    expect(hook.received).toHaveLength(1);
    const [{ headers, body }] = hook.received;
    expect(headers['webhook-id']).toBe('rel-b1');
    expect(headers['content-type']).toBe('application/json');
    expect(verifyWebhook(secret, headers, body)).toBe(true);
    // The same check without our helper: HMAC-SHA256 over id.timestamp.body, keyed by the decoded secret.
    const expected = createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
      .update(`${String(headers['webhook-id'])}.${String(headers['webhook-timestamp'])}.${body}`)
      .digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${expected}`);
    expect(Math.abs(Number(headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(10);
    expect(JSON.parse(body)).toEqual({
      type: 'booking.released',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: release(site, 'b1'),
    });

    const [delivery] = await settled(id);
    expect(delivery).toMatchObject({ id: ids[0], status: 'delivered', attemptCount: 1 });
    expect((await as().get(`/v1/webhooks/${id}/deliveries?status=failed`)).body).toEqual([]);
    expect((await as().get(`/v1/webhooks/${id}/deliveries?status=delivered&limit=1`)).body).toHaveLength(1);
    const badQuery = await as().get(`/v1/webhooks/${id}/deliveries?limit=0&status=lost`);
    expect(badQuery.status).toBe(400);
    expect((badQuery.body as { errors: { path: string }[] }).errors.map((e) => e.path).sort()).toEqual([
      'query.limit',
      'query.status',
    ]);
    expect(delivery.attempts).toEqual([
      { attempt: 1, at: expect.any(String), statusCode: 200, error: null, durationMs: expect.any(Number) },
    ]);
  });

  it('delivers an event id published twice only once', async () => {
    const site = await newSite();
    const hook = await receiver();
    await subscribe(hook.url, site);
    expect(await publish(site, 'twice')).toHaveLength(1);
    expect(await publish(site, 'twice')).toEqual([]);
    await waitFor(
      async () => hook.received.length,
      (n) => n > 0,
    );
    await sleep(300);
    expect(hook.received).toHaveLength(1);
  });

  it('retries after a 500 and logs both attempts, with the same webhook-id and a valid signature each time', async () => {
    const site = await newSite();
    const hook = await receiver((index) => (index === 0 ? 500 : 200));
    const { id, secret } = await subscribe(hook.url, site);
    await publish(site, 'flaky');
    const [delivery] = await settled(id);
    expect(delivery.status).toBe('delivered');
    expect(delivery.attempts.map((a) => [a.attempt, a.statusCode, a.error])).toEqual([
      [1, 500, 'HTTP 500'],
      [2, 200, null],
    ]);
    expect(hook.received.map((r) => r.headers['webhook-id'])).toEqual(['rel-flaky', 'rel-flaky']);
    expect(hook.received.every((r) => verifyWebhook(secret, r.headers, r.body))).toBe(true);
    expect(hook.received[1].at - hook.received[0].at).toBeGreaterThanOrEqual(45);
  });

  it('sends a burst from the rows as created (no read per first attempt), signed, each once; a retry reads again', async () => {
    const site = await newSite();
    const hook = await receiver((index) => (index === 0 ? 500 : 200));
    const { id, secret } = await subscribe(hook.url, site);
    const other = await receiver();
    const second = await subscribe(other.url, site);
    const reads = jest.spyOn(app.get(WebhooksRepository), 'findWorkMany');
    try {
      const events = ['burst-1', 'burst-2', 'burst-3'].map((b) => ({
        eventId: `rel-${b}`,
        payload: release(site, b),
      }));
      const created = await app.get(WebhookDispatcher).publishMany(site, 'booking.released', events);
      // one per event and subscription, in the order of the events
      expect(created).toHaveLength(6);
      const [forHook, forOther] = [await settled(id), await settled(second.id)];
      expect([...forHook, ...forOther].every((d) => d.status === 'delivered')).toBe(true);
      expect(sortedIds(hook.received)).toEqual(['rel-burst-1', 'rel-burst-1', 'rel-burst-2', 'rel-burst-3']);
      expect(sortedIds(other.received)).toEqual(['rel-burst-1', 'rel-burst-2', 'rel-burst-3']);
      expect(hook.received.every((r) => verifyWebhook(secret, r.headers, r.body))).toBe(true);
      expect(other.received.every((r) => verifyWebhook(second.secret, r.headers, r.body))).toBe(true);
      // six first attempts from the created rows; only the retry after the 500 read its delivery again
      const readIds = reads.mock.calls.flatMap(([ids]) => ids);
      expect(readIds).toHaveLength(1);
      expect(created).toContain(readIds[0]);
    } finally {
      reads.mockRestore();
    }
  });

  it('sends an attempt whose outcome could not be stored again, and logs it once stored', async () => {
    const site = await newSite();
    const hook = await receiver();
    const { id, secret } = await subscribe(hook.url, site);
    const store = jest
      .spyOn(app.get(WebhooksRepository), 'recordAttempts')
      .mockRejectedValueOnce(new Error('database briefly unavailable'));
    try {
      await publish(site, 'unstored');
      const [delivery] = await settled(id);
      expect(delivery).toMatchObject({ status: 'delivered', attemptCount: 1 });
      // sent, not stored, sent again (at least once; the receiver dedupes by webhook-id)
      expect(hook.received.map((r) => r.headers['webhook-id'])).toEqual(['rel-unstored', 'rel-unstored']);
      expect(hook.received.every((r) => verifyWebhook(secret, r.headers, r.body))).toBe(true);
    } finally {
      store.mockRestore();
    }
  });

  it('disables the subscription when the endpoint answers 410, and stops delivering to it', async () => {
    const site = await newSite();
    const hook = await receiver(() => 410);
    const { id } = await subscribe(hook.url, site);
    await publish(site, 'gone');
    const [delivery] = await settled(id);
    expect(delivery).toMatchObject({ status: 'disabled', attemptCount: 1 });
    const subscription = await as().get(`/v1/webhooks/${id}`);
    expect(subscription.body).toMatchObject({
      status: 'disabled',
      disabledReason: 'the endpoint answered 410 Gone',
    });
    expect(await publish(site, 'after-gone')).toEqual([]);
    await sleep(200);
    expect(hook.received).toHaveLength(1);
  });

  it('times out a receiver that never answers without delaying another subscription', async () => {
    const site = await newSite();
    const dead = await receiver(() => 'hang');
    const alive = await receiver();
    const deadSub = await subscribe(dead.url, site);
    await subscribe(alive.url, site);
    const published = Date.now();
    await publish(site, 'slow');
    await waitFor(
      async () => alive.received.length,
      (n) => n > 0,
    );
    // The timeout is 400 ms: the live endpoint got its copy while the dead one was still being waited on.
    expect(alive.received[0].at - published).toBeLessThan(300);
    const [delivery] = await settled(deadSub.id);
    expect(delivery.status).toBe('failed');
    expect(delivery.attempts.map((a) => [a.attempt, a.statusCode, a.error])).toEqual([
      [1, null, 'timed out after 400 ms'],
      [2, null, 'timed out after 400 ms'],
      [3, null, 'timed out after 400 ms'],
    ]);
    expect(delivery.attempts.every((a) => a.durationMs >= 390 && a.durationMs < 1500)).toBe(true);
    expect(dead.received).toHaveLength(3);
  });

  it('redelivers on request, continuing the attempt log', async () => {
    const site = await newSite();
    const hook = await receiver();
    const { id, secret } = await subscribe(hook.url, site);
    const [deliveryId] = await publish(site, 'again');
    await settled(id);
    const response = await as().post(`/v1/webhooks/${id}/deliveries/${deliveryId}/redeliver`);
    expect(response.status).toBe(202);
    expect(response.body).toEqual({ id: deliveryId, status: 'pending', nextAttempt: 2 });
    const [delivery] = await waitFor(
      () => deliveries(id),
      (list) => list[0]?.attemptCount === 2 && list[0].status === 'delivered',
    );
    expect(delivery.attempts.map((a) => [a.attempt, a.statusCode])).toEqual([
      [1, 200],
      [2, 200],
    ]);
    expect(hook.received.map((r) => r.headers['webhook-id'])).toEqual(['rel-again', 'rel-again']);
    expect(verifyWebhook(secret, hook.received[1].headers, hook.received[1].body)).toBe(true);
    expect((await as().post(`/v1/webhooks/${id}/deliveries/whd_nope/redeliver`)).status).toBe(404);
  });

  it('keeps a subscription from keys of other sites, and lets its own site read it', async () => {
    const site = await newSite();
    const other = await newSite();
    const hook = await receiver();
    const { id } = await subscribe(hook.url, site);
    const [deliveryId] = await publish(site, 'private');
    const stranger = await keyFor('manager', other);
    expect((await as(stranger).get(`/v1/webhooks/${id}`)).status).toBe(404);
    expect((await as(stranger).get(`/v1/webhooks/${id}/deliveries`)).status).toBe(404);
    expect((await as(stranger).post(`/v1/webhooks/${id}/deliveries/${deliveryId}/redeliver`)).status).toBe(
      404,
    );
    expect((await as(stranger).delete(`/v1/webhooks/${id}`)).status).toBe(404);
    expect(
      ((await as(stranger).get('/v1/webhooks')).body as { id: string }[]).map((w) => w.id),
    ).not.toContain(id);
    expect((await as(stranger).post('/v1/webhooks', { url: hook.url, events: ['*'], site })).status).toBe(
      403,
    );
    expect(
      (await as(stranger).post('/v1/webhooks', { url: hook.url, events: ['*'], site: null })).status,
    ).toBe(403);

    const own = await keyFor('integration', site);
    expect((await as(own).get(`/v1/webhooks/${id}`)).status).toBe(200);
    expect(((await as(own).get('/v1/webhooks')).body as { id: string }[]).map((w) => w.id)).toEqual([id]);
    const device = await keyFor('device', site);
    expect((await as(device).get(`/v1/webhooks/${id}`)).status).toBe(403);

    // A site key subscribes to its own site when it names none.
    const created = await as(own).post('/v1/webhooks', { url: hook.url, events: ['*'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ site, events: ['*'] });
  });

  it('answers 400 with field paths for a bad subscription', async () => {
    const site = await newSite();
    const response = await as().post('/v1/webhooks', {
      url: 'ftp://example.com/x',
      events: ['booking.exploded'],
      site,
      extra: 1,
    });
    expect(response.status).toBe(400);
    const paths = (response.body as { errors: { path: string }[] }).errors.map((e) => e.path).sort();
    expect(paths).toEqual(['events.0', 'extra', 'url']);
    const noSite = await as().post('/v1/webhooks', {
      url: 'http://127.0.0.1:1/x',
      events: ['*'],
      site: 'nowhere',
    });
    expect(noSite.status).toBe(400);
    expect(noSite.body.errors).toEqual([{ path: 'site', message: 'no site nowhere' }]);
  });

  it('unsubscribes on DELETE', async () => {
    const site = await newSite();
    const hook = await receiver();
    const { id } = await subscribe(hook.url, site);
    expect((await as().delete(`/v1/webhooks/${id}`)).status).toBe(204);
    expect((await as().get(`/v1/webhooks/${id}`)).status).toBe(404);
    expect(await publish(site, 'unsubscribed')).toEqual([]);
  });
});

describe('webhooks with WEBHOOK_ALLOW_PRIVATE=false', () => {
  let db: Database;
  let app: INestApplication;
  let as: ReturnType<typeof client>;

  beforeAll(async () => {
    db = await openSeededDatabase();
    app = await startApp(db, { WEBHOOK_ALLOW_PRIVATE: 'false', WEBHOOK_MAX_ATTEMPTS: '3' });
    as = client(app);
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it.each([
    ['http://127.0.0.1:8080/hooks', /loopback/],
    ['http://localhost:8080/hooks', /loopback/],
    ['http://[::1]:8080/hooks', /loopback/],
    ['http://10.1.2.3/hooks', /private/],
    ['http://169.254.169.254/latest/meta-data', /link-local/],
  ])('refuses to subscribe %s (400, path url)', async (url, reason) => {
    const response = await as().post('/v1/webhooks', { url, events: ['booking.released'], site: null });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ path: 'url', message: expect.stringMatching(reason) }]);
  });

  it('checks again at delivery time and fails a delivery to an address that became private, with the reason', async () => {
    const site = uniqueId('wh');
    await app.get(SitesService).putSite(site, siteDocumentSchema.parse(siteDocument()));
    // As if the URL had passed at subscription time and its DNS had changed since.
    await db.query(
      `INSERT INTO webhook_subscriptions (id, site_id, url, events, secret) VALUES ($1, $2, $3, $4, $5)`,
      [
        'wh_rebound',
        site,
        'http://127.0.0.1:9/hooks',
        ['*'],
        'whsec_c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmU=',
      ],
    );
    await app
      .get(WebhookDispatcher)
      .publish(site, 'booking.released', 'rel-rebound', release(site, 'rebound'));
    const [delivery] = await waitFor(
      async () =>
        (await as().get('/v1/webhooks/wh_rebound/deliveries')).body as {
          status: string;
          attempts: { error: string | null }[];
        }[],
      (list) => list[0]?.status === 'failed',
    );
    expect(delivery.attempts).toEqual([
      expect.objectContaining({
        statusCode: null,
        error: 'refused: host 127.0.0.1 resolves to a loopback address (127.0.0.1)',
      }),
    ]);
  });
});
