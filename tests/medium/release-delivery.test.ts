import { createHmac } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { EmbeddedDatabase } from '@cw/database';
import { BookingRelease } from '@cw/events';
import { NoShowPolicies, ReleasePublisher } from '@cw/noshow';
import { BorrowedDatabase } from '../support/borrowed-database';
import { waitFor } from '../support/mqtt-client';
import { resolveService, ResolvedService } from '../support/service-discovery';
import { openSeededDatabase } from '../support/seeded-database';
import { ADMIN_TOKEN, startPlatform, TestPlatform } from '../support/test-app';
import { siteDocument, uniqueId } from '../support/factories';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** Standard Webhooks, computed here independently of the platform's own signing code. */
function expectedSignature(secret: string, id: string, timestamp: string, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

async function receiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received };
}

describe.each([
  ['embedded timers and queue', false],
  ['BullMQ on Redis', true],
])('release delivery (%s)', (_name, useRedis) => {
  let db: EmbeddedDatabase;
  let platform: TestPlatform;
  let redis: ResolvedService | undefined;
  let hook: Awaited<ReturnType<typeof receiver>>;
  let secret: string;
  const site = `rd${useRedis ? 'r' : 'e'}${process.pid}`;
  const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  const overrides: Record<string, string> = { WEBHOOK_ALLOW_PRIVATE: 'true', INGEST_FLUSH_MS: '10' };

  beforeAll(async () => {
    if (useRedis) {
      redis = await resolveService('redis');
      overrides.REDIS_URL = redis.url;
      overrides.JOBS_PREFIX = `cwtest-${process.pid}-${Date.now()}`;
    }
    db = await openSeededDatabase();
    platform = await startPlatform(new BorrowedDatabase(db), overrides);
    await platform.putSite(site, siteDocument());
    await platform.app
      .get(NoShowPolicies)
      .set(site, '*', { earlyMs: 1000, graceMs: 1500, ghostEnabled: false, ghostAfterMs: 60_000 });
    hook = await receiver();
    const created = await request(platform.url)
      .post('/v1/webhooks')
      .set(auth)
      .send({ url: hook.url, events: ['booking.released'], site });
    expect(created.status).toBe(201);
    secret = (created.body as { secret: string }).secret;
  });

  afterAll(async () => {
    await platform?.close();
    await db?.close();
    await new Promise((resolve) => hook?.server.close(resolve));
    await redis?.stop();
  });

  const book = async (startsInMs: number, resource = 'room-1') => {
    const id = uniqueId('bk');
    const start = new Date(Date.now() + startsInMs);
    await request(platform.url)
      .post('/v1/bookings')
      .set(auth)
      .send({
        site,
        id,
        resource,
        member: 'm9',
        start: start.toISOString(),
        end: new Date(start.getTime() + 60_000).toISOString(),
      })
      .expect(201);
    return id;
  };
  const deliveriesFor = (id: string) =>
    hook.received.filter((r) => (JSON.parse(r.body) as { data: BookingRelease }).data.bookingId === id);

  it('POSTs each release to the subscriber once, signed per Standard Webhooks', async () => {
    const id = await book(300);
    const [delivery] = await waitFor(
      async () => deliveriesFor(id),
      (list) => list.length > 0,
      15_000,
    );
    const body = JSON.parse(delivery.body) as { type: string; data: BookingRelease };
    expect(body.type).toBe('booking.released');
    expect(body.data).toMatchObject({
      siteId: site,
      bookingId: id,
      resourceId: 'room-1',
      memberId: 'm9',
      reason: 'no_show',
    });
    const {
      'webhook-id': webhookId,
      'webhook-timestamp': timestamp,
      'webhook-signature': signature,
    } = delivery.headers;
    expect(webhookId).toBe(`rel_${site}_${id}`);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(String(signature).split(' ')).toContain(
      expectedSignature(secret, String(webhookId), String(timestamp), delivery.body),
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(deliveriesFor(id)).toHaveLength(1);
  });

  it('decides while earlier releases are still being published, their webhook deliveries stored with them', async () => {
    const publisher = platform.app.get(ReleasePublisher);
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const publish = publisher.publishStaged.bind(publisher);
    const held = jest.spyOn(publisher, 'publishStaged').mockImplementation(async (staged) => {
      await gate;
      return publish(staged);
    });
    const ids: string[] = [];
    const eventIds = () => ids.map((id) => `rel_${site}_${id}`);
    try {
      // More bookings than decisions run at once: had a decision held its slot until its releases were published,
      // the last one would wait behind the closed gate.
      for (const [i, resource] of ['room-2', 'desk-1', 'room-1'].entries())
        ids.push(await book(300 + i * 400, resource));
      const releases = await waitFor(
        async () =>
          (
            await db.query<{ booking_id: string; released_at: Date; published_at: Date | null }>(
              `SELECT booking_id, released_at, published_at FROM booking_releases
               WHERE site_id = $1 AND booking_id = ANY ($2::text[])`,
              [site, ids],
            )
          ).rows,
        (rows) => rows.length === ids.length,
        15_000,
      );
      expect(releases.every((r) => r.published_at === null)).toBe(true);
      // The delivery rows were written by the decision's own transaction: same now(), before any publication.
      const deliveries = await db.query<{ event_id: string; attempts: number; created_at: Date }>(
        'SELECT event_id, attempts, created_at FROM webhook_deliveries WHERE event_id = ANY ($1::text[])',
        [eventIds()],
      );
      expect(deliveries.rows.map((d) => d.event_id).sort()).toEqual(eventIds().sort());
      for (const r of releases) {
        const delivery = deliveries.rows.find((d) => d.event_id === `rel_${site}_${r.booking_id}`)!;
        expect(delivery.attempts).toBe(0);
        expect(new Date(delivery.created_at).getTime()).toBe(new Date(r.released_at).getTime());
      }
      expect(ids.flatMap(deliveriesFor)).toHaveLength(0);
    } finally {
      open();
      held.mockRestore();
    }
    for (const id of ids)
      await waitFor(
        async () => deliveriesFor(id),
        (list) => list.length > 0,
        15_000,
      );
    await waitFor(
      async () =>
        (
          await db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM booking_releases
             WHERE site_id = $1 AND booking_id = ANY ($2::text[]) AND published_at IS NULL`,
            [site, ids],
          )
        ).rows[0].n,
      (n) => n === 0,
      5_000,
    );
    for (const id of ids) expect(deliveriesFor(id)).toHaveLength(1);
  });

  it('releases and delivers exactly once when the platform restarts mid-grace', async () => {
    const id = await book(1200);
    await platform.close();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    platform = await startPlatform(new BorrowedDatabase(db), overrides);
    await waitFor(
      async () => deliveriesFor(id),
      (list) => list.length > 0,
      15_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(deliveriesFor(id)).toHaveLength(1);
    const releases = await db.query<{ n: number }>(
      'SELECT count(*) AS n FROM booking_releases WHERE site_id = $1 AND booking_id = $2',
      [site, id],
    );
    expect(releases.rows[0].n).toBe(1);
  });
});
