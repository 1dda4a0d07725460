import { createHmac } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { MqttClient } from 'mqtt';
import { BookingsService } from '@cw/booking';
import { EmbeddedDatabase } from '@cw/database';
import { BookingRelease, OccupancyDelta } from '@cw/events';
import { NoShowEngine, NoShowPolicies } from '@cw/noshow';
import { BorrowedDatabase } from '../support/borrowed-database';
import { connectLive, LiveClient, LiveRecorder } from '../support/live-app';
import { connectPublisher, waitFor } from '../support/mqtt-client';
import { openSeededDatabase } from '../support/seeded-database';
import { ADMIN_TOKEN, startPlatform, TestPlatform } from '../support/test-app';
import { siteDocument, uniqueId } from '../support/factories';

const SECOND = 1000;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** Standard Webhooks, computed here independently of the platform's own signing code. */
function signatureValid(secret: string, delivery: Received): boolean {
  const id = String(delivery.headers['webhook-id']);
  const timestamp = String(delivery.headers['webhook-timestamp']);
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${delivery.body}`).digest('base64')}`;
  return String(delivery.headers['webhook-signature']).split(' ').includes(expected);
}

async function webhookReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
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

/**
 * No-show release on the embedded default, with real timers. Policies are set to a few seconds so a grace period
 * passes inside the test; the rules are the same as with the 15-minute defaults.
 */
describe('no-show release', () => {
  let db: EmbeddedDatabase;
  let platform: TestPlatform;
  let subscriber: MqttClient;
  const mqttReleases: BookingRelease[] = [];

  const start = async () => {
    platform = await startPlatform(new BorrowedDatabase(db), {
      INGEST_FLUSH_MS: '10',
      WEBHOOK_ALLOW_PRIVATE: 'true',
    });
  };

  beforeAll(async () => {
    db = await openSeededDatabase();
    await start();
    await platform.putSite('n1', siteDocument());
    await platform.app.get(NoShowPolicies).set('n1', '*', {
      earlyMs: 2 * SECOND,
      graceMs: 2 * SECOND,
      ghostEnabled: false,
      ghostAfterMs: 60 * SECOND,
    });
    subscriber = await connectPublisher(platform.mqtt.url, await platform.createKey('integration', 'n1'));
    subscriber.on('message', (_topic, payload) =>
      mqttReleases.push(JSON.parse(payload.toString()) as BookingRelease),
    );
    await subscriber.subscribeAsync('cw/n1/release/+', { qos: 1 });
  });

  afterAll(async () => {
    await subscriber?.endAsync(true);
    await platform?.close();
    await db.close();
  });

  const api = () => request(platform.url);
  const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  let site = 'n1';
  // Each test books on a site of its own, so no test's bookings hold another's slots.
  beforeEach(async () => {
    site = uniqueId('n').replace(/[^a-zA-Z0-9_-]/g, '');
    await platform.putSite(site, siteDocument());
    await platform.app.get(NoShowPolicies).set(site, '*', {
      earlyMs: 2 * SECOND,
      graceMs: 2 * SECOND,
      ghostEnabled: false,
      ghostAfterMs: 60 * SECOND,
    });
  });
  const book = async (resource: string, startsInMs: number, minutes = 30) => {
    const id = uniqueId('bk');
    const startAt = new Date(Date.now() + startsInMs);
    const response = await api()
      .post('/v1/bookings')
      .set(auth)
      .send({
        site,
        id,
        resource,
        member: 'm1',
        start: startAt.toISOString(),
        end: new Date(startAt.getTime() + minutes * 60_000).toISOString(),
      });
    expect(response.status).toBe(201);
    return { id, start: startAt };
  };
  const status = async (id: string) =>
    (await api().get(`/v1/bookings/${id}?site=${site}`).set(auth)).body.status as string;
  const releasesOf = async (id: string) =>
    (
      await db.query<{ n: number }>(
        'SELECT count(*) AS n FROM booking_releases WHERE site_id = $1 AND booking_id = $2',
        [site, id],
      )
    ).rows[0].n;

  it('releases a booking nobody turned up to, once, and announces it on MQTT', async () => {
    site = 'n1';
    const { id } = await book('room-1', 500);
    expect(
      await waitFor(
        () => status(id),
        (s) => s === 'released',
        10_000,
      ),
    ).toBe('released');
    expect(await releasesOf(id)).toBe(1);
    const heard = await waitFor(
      async () => mqttReleases.filter((r) => r.bookingId === id),
      (list) => list.length > 0,
    );
    expect(heard[0]).toMatchObject({
      siteId: 'n1',
      bookingId: id,
      resourceId: 'room-1',
      memberId: 'm1',
      reason: 'no_show',
      releaseId: `rel_n1_${id}`,
    });
    const listed = await api()
      .get(
        `/v1/sites/${site}/releases?from=${new Date(Date.now() - 60_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`,
      )
      .set(auth);
    expect((listed.body as BookingRelease[]).map((r) => r.bookingId)).toContain(id);
    // Marked published (the outbox is done with it) once every channel has it; marks are written once a second.
    await waitFor(
      async () =>
        (
          await db.query<{ published_at: Date | null }>(
            'SELECT published_at FROM booking_releases WHERE booking_id = $1',
            [id],
          )
        ).rows[0].published_at,
      (at) => at !== null,
      5_000,
    );
  });

  it('keeps a booking with presence in the room during the check-in window', async () => {
    const { id, start: startAt } = await book('room-2', 1000);
    const ingest = await api()
      .post('/v1/events')
      .set(auth)
      .send([
        {
          type: 'sensor',
          site,
          sensor: 'pir-room-2',
          id: uniqueId('ev'),
          ts: new Date(startAt.getTime() - 500).toISOString(),
          kind: 'presence',
          value: 1,
        },
      ]);
    expect(ingest.body.accepted).toBe(1);
    expect(
      await waitFor(
        () => status(id),
        (s) => s === 'checked_in',
      ),
    ).toBe('checked_in');
    await new Promise((resolve) => setTimeout(resolve, 4 * SECOND));
    expect(await status(id)).toBe('checked_in');
    expect(await releasesOf(id)).toBe(0);
  });

  it("does not count someone else's badge at the room's door as the booker's evidence", async () => {
    const other = await book('room-1', 800);
    await api()
      .post('/v1/events')
      .set(auth)
      .send([
        {
          type: 'door',
          site,
          door: 'door-room-1',
          id: uniqueId('ev'),
          ts: new Date().toISOString(),
          credential: 'card-x',
          member: 'someone-else',
          result: 'granted',
        },
      ]);
    expect(
      await waitFor(
        () => status(other.id),
        (s) => s === 'released',
        10_000,
      ),
    ).toBe('released');
  });

  it("checks a booking in on the booker's own badge at a door serving the room", async () => {
    const { id, start: startAt } = await book('room-1', 800);
    await api()
      .post('/v1/events')
      .set(auth)
      .send([
        {
          type: 'door',
          site,
          door: 'door-room-1',
          id: uniqueId('ev'),
          ts: startAt.toISOString(),
          credential: 'card-1',
          member: 'm1',
          result: 'granted',
        },
      ]);
    expect(
      await waitFor(
        () => status(id),
        (s) => s === 'checked_in',
      ),
    ).toBe('checked_in');
    await new Promise((resolve) => setTimeout(resolve, 3 * SECOND));
    expect(await releasesOf(id)).toBe(0);
  });

  it('lets exactly one outcome win when a check-in races the release, the same in the database, the webhook and socket.io', async () => {
    const bookings = platform.app.get(BookingsService);
    const engine = platform.app.get(NoShowEngine);
    const hook = await webhookReceiver();
    let live: LiveClient | undefined;
    try {
      const subscribed = await api()
        .post('/v1/webhooks')
        .set(auth)
        .send({ url: hook.url, events: ['booking.released'], site });
      expect(subscribed.status).toBe(201);
      const secret = (subscribed.body as { secret: string }).secret;
      live = await connectLive(platform.url, { token: await platform.createKey('manager', site) });
      const feed = new LiveRecorder(live);
      const joined = await live.emitWithAck('join', { site });
      expect(joined).toEqual({ ok: true });

      const hooksFor = (id: string) =>
        hook.received.filter((r) => (JSON.parse(r.body) as { data: BookingRelease }).data.bookingId === id);
      const socketReleasesFor = (id: string) =>
        feed.events.filter((e) => e.event === 'release' && (e.payload as BookingRelease).bookingId === id);
      const releasedDeltasFor = (id: string) =>
        feed.events.filter(
          (e) =>
            e.event === 'occupancy' &&
            (e.payload as OccupancyDelta).bookingId === id &&
            (e.payload as OccupancyDelta).state === 'released',
        );
      const outcomes = new Set<string>();
      for (let round = 0; round < 6; round++) {
        const { id, start: startAt } = await book('desk-1', 200, 10);
        const booking = await bookings.get(site, id);
        // Grace (2 s) ends 2 s after the start: half the rounds check in just before it, half just after.
        const graceEnd = startAt.getTime() + 2 * SECOND;
        await new Promise((resolve) =>
          setTimeout(resolve, graceEnd + (round % 2 === 0 ? -40 : 100) - Date.now()),
        );
        const [checkIn, decision] = await Promise.all([
          bookings.checkIn(site, id, new Date()),
          engine.decide({ siteId: site, bookingId: id, version: booking.version }),
        ]);
        const final = await status(id);
        outcomes.add(final);
        if (final === 'released') {
          expect(await releasesOf(id)).toBe(1);
          expect(checkIn.outcome).toBe('late_after_release');
          expect((await bookings.get(site, id)).lateCheckinAt).not.toBeNull();
          // Delivered once on each channel, signed, carrying the release the database holds.
          const [delivery] = await waitFor(
            async () => hooksFor(id),
            (list) => list.length > 0,
            10_000,
          );
          expect(signatureValid(secret, delivery)).toBe(true);
          expect(delivery.headers['webhook-id']).toBe(`rel_${site}_${id}`);
          const [heard] = await feed
            .until(() => socketReleasesFor(id).length > 0 && releasedDeltasFor(id).length > 0, 10_000)
            .then(() => socketReleasesFor(id));
          expect(heard.payload).toEqual((JSON.parse(delivery.body) as { data: BookingRelease }).data);
          await new Promise((resolve) => setTimeout(resolve, 1500));
          expect(hooksFor(id)).toHaveLength(1);
          expect(socketReleasesFor(id)).toHaveLength(1);
        } else {
          expect(final).toBe('checked_in');
          expect(await releasesOf(id)).toBe(0);
          // Decided before the grace ended, the decision waits; after the check-in committed, it finds nothing to do.
          expect(['stale', 'checked_in', 'rearmed']).toContain(decision);
          // Never a release for a checked-in booking, on any channel.
          await new Promise((resolve) => setTimeout(resolve, 1500));
          expect(hooksFor(id)).toHaveLength(0);
          expect(socketReleasesFor(id)).toHaveLength(0);
          expect(releasedDeltasFor(id)).toHaveLength(0);
        }
        await api().delete(`/v1/bookings/${id}?site=${site}`).set(auth);
      }
      // Not a requirement of the race, but a test that only ever saw one side proves half of what it claims.
      if (outcomes.size < 2) console.warn(`race test saw only ${[...outcomes].join()} outcomes this run`);
    } finally {
      live?.close();
      await new Promise((resolve) => hook.server.close(resolve));
    }
  });

  it('drops the timer of a cancelled booking and re-arms a moved one', async () => {
    const cancelled = await book('room-1', 1000);
    expect((await api().delete(`/v1/bookings/${cancelled.id}?site=${site}`).set(auth)).body.status).toBe(
      'cancelled',
    );
    const moved = await book('room-2', 1000);
    const later = new Date(Date.now() + 60 * SECOND);
    const patch = await api()
      .patch(`/v1/bookings/${moved.id}?site=${site}`)
      .set(auth)
      .send({ start: later.toISOString(), end: new Date(later.getTime() + 30 * 60_000).toISOString() });
    expect(patch.body.version).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 4 * SECOND));
    expect(await status(cancelled.id)).toBe('cancelled');
    expect(await status(moved.id)).toBe('confirmed');
    expect(await releasesOf(cancelled.id)).toBe(0);
    expect(await releasesOf(moved.id)).toBe(0);
  });

  it('still releases exactly once when the platform restarts mid-grace', async () => {
    const { id } = await book('room-1', 1500);
    await platform.close();
    await new Promise((resolve) => setTimeout(resolve, 2 * SECOND));
    await start();
    expect(
      await waitFor(
        () => status(id),
        (s) => s === 'released',
        10_000,
      ),
    ).toBe('released');
    await new Promise((resolve) => setTimeout(resolve, 1 * SECOND));
    expect(await releasesOf(id)).toBe(1);
  });

  it('lets a manager set the no-show window per resource kind, and refuses nonsense', async () => {
    const manager = { Authorization: `Bearer ${await platform.createKey('manager', site)}` };
    const put = await api()
      .put(`/v1/sites/${site}/noshow-policies/phone_booth`)
      .set(manager)
      .send({ earlyMinutes: 0, graceMinutes: 5, ghostEnabled: true, ghostAfterMinutes: 10 });
    expect(put.status).toBe(200);
    const read = await api().get(`/v1/sites/${site}/noshow-policies/phone_booth`).set(manager);
    expect(read.body).toEqual({
      site,
      kind: 'phone_booth',
      earlyMinutes: 0,
      graceMinutes: 5,
      ghostEnabled: true,
      ghostAfterMinutes: 10,
    });
    const unknownKind = await api()
      .put(`/v1/sites/${site}/noshow-policies/sofa`)
      .set(manager)
      .send({ earlyMinutes: 1, graceMinutes: 1 });
    expect(unknownKind.status).toBe(400);
    const negative = await api()
      .put(`/v1/sites/${site}/noshow-policies/desk`)
      .set(manager)
      .send({ earlyMinutes: -1, graceMinutes: 1 });
    expect(negative.status).toBe(400);
    expect(negative.body.errors).toEqual([
      { path: 'earlyMinutes', message: 'Number must be greater than or equal to 0' },
    ]);
    const integration = { Authorization: `Bearer ${await platform.createKey('integration', site)}` };
    expect(
      (
        await api()
          .put(`/v1/sites/${site}/noshow-policies/desk`)
          .set(integration)
          .send({ earlyMinutes: 1, graceMinutes: 1 })
      ).status,
    ).toBe(403);
  });

  it('refuses overlapping bookings, unknown resources and ends before starts with a clear reason', async () => {
    const first = await book('room-2', 10 * 60_000, 60);
    const overlap = await api()
      .post('/v1/bookings')
      .set(auth)
      .send({
        site,
        resource: 'room-2',
        start: new Date(first.start.getTime() + 30 * 60_000).toISOString(),
        end: new Date(first.start.getTime() + 90 * 60_000).toISOString(),
      });
    expect(overlap.status).toBe(409);
    expect(overlap.body.message).toBe('resource room-2 is already booked for part of that time');
    const unknown = await api()
      .post('/v1/bookings')
      .set(auth)
      .send({ site, resource: 'room-9', start: '2030-01-01T10:00:00Z', end: '2030-01-01T11:00:00Z' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ path: 'resource', message: 'unknown resource room-9' }]);
    const backwards = await api()
      .post('/v1/bookings')
      .set(auth)
      .send({ site, resource: 'room-1', start: '2030-01-01T10:00:00Z', end: '2030-01-01T09:00:00Z' });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual([{ path: 'end', message: 'must be after start' }]);
  });
});
