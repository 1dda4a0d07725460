import request from 'supertest';
import { MqttClient } from 'mqtt';
import { ExternalBookingsListener } from '@cw/booking';
import { EmbeddedDatabase } from '@cw/database';
import { BorrowedDatabase } from '../support/borrowed-database';
import { connectPublisher, waitFor } from '../support/mqtt-client';
import { openSeededDatabase } from '../support/seeded-database';
import { ADMIN_TOKEN, startPlatform, TestPlatform } from '../support/test-app';
import { siteDocument, uniqueId } from '../support/factories';

interface DeadLetter {
  source: string;
  topic: string | null;
  event_id: string;
  reason: string;
  errors: { path: string; message: string }[];
  raw: string;
}

/**
 * Booking events from external booking systems that cannot be applied are not only logged: they go to the dead
 * letter (`rejected_events`) with their raw payload and a clear reason, whichever door they came in by.
 */
describe('external booking events refused', () => {
  let db: EmbeddedDatabase;
  let platform: TestPlatform;
  let publisher: MqttClient;
  const site = 'dl1';
  const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

  beforeAll(async () => {
    db = await openSeededDatabase();
    platform = await startPlatform(new BorrowedDatabase(db), { INGEST_FLUSH_MS: '10' });
    await platform.putSite(site, siteDocument());
    publisher = await connectPublisher(platform.mqtt.url, await platform.createKey('integration', site));
  });

  afterAll(async () => {
    await publisher?.endAsync(true);
    await platform?.close();
    await db.close();
  });

  const bookingEvent = (
    booking: string,
    resource: string,
    start: string,
    end: string,
    status = 'created',
  ) => ({
    id: uniqueId('be'),
    ts: new Date().toISOString(),
    booking,
    resource,
    member: 'm1',
    start,
    end,
    status,
  });
  const postEvents = async (events: Record<string, unknown>[]) =>
    (
      await request(platform.url)
        .post('/v1/events')
        .set(auth)
        .send(events.map((e) => ({ type: 'booking', site, ...e })))
    ).body as {
      accepted: number;
      rejected: { index: number; errors: { path: string; message: string }[] }[];
    };
  const deadLetterOf = async (eventId: string) => {
    await platform.app.get(ExternalBookingsListener).settled();
    return waitFor(
      async () =>
        (
          await db.query<DeadLetter>(
            'SELECT source, topic, event_id, reason, errors, raw FROM rejected_events WHERE site_id = $1 AND event_id = $2',
            [site, eventId],
          )
        ).rows,
      (rows) => rows.length > 0,
      5000,
    );
  };
  const statusOf = async (id: string) =>
    (await request(platform.url).get(`/v1/bookings/${id}?site=${site}`).set(auth)).body.status as
      string | undefined;

  it('dead-letters an overlapping booking from HTTP with its raw payload and the reason', async () => {
    const first = bookingEvent(uniqueId('bk'), 'room-1', '2030-01-07T10:00:00Z', '2030-01-07T11:00:00Z');
    const overlap = bookingEvent(uniqueId('bk'), 'room-1', '2030-01-07T10:30:00Z', '2030-01-07T11:30:00Z');
    // Both are valid events, so ingest stores both; the overlap is found when the booking is applied.
    expect(await postEvents([first, overlap])).toMatchObject({ accepted: 2, rejected: [] });
    const [dead] = await deadLetterOf(overlap.id);
    expect(dead.source).toBe('http');
    expect(dead.reason).toBe(
      `booking ${overlap.booking} not applied: resource room-1 is already booked for part of that time`,
    );
    expect(JSON.parse(dead.raw)).toMatchObject({
      id: overlap.id,
      booking: overlap.booking,
      start: overlap.start,
    });
    expect(dead.errors).toEqual([
      { path: '(root)', message: 'resource room-1 is already booked for part of that time' },
    ]);
    expect(await statusOf(first.booking)).toBe('confirmed');
    expect(
      (await request(platform.url).get(`/v1/bookings/${overlap.booking}?site=${site}`).set(auth)).status,
    ).toBe(404);
  });

  it('dead-letters an overlapping booking from MQTT with its topic', async () => {
    const first = bookingEvent(uniqueId('bk'), 'room-2', '2030-01-08T10:00:00Z', '2030-01-08T11:00:00Z');
    const overlap = bookingEvent(uniqueId('bk'), 'room-2', '2030-01-08T09:30:00Z', '2030-01-08T10:15:00Z');
    await publisher.publishAsync(`cw/${site}/booking`, JSON.stringify([first, overlap]), { qos: 1 });
    const [dead] = await deadLetterOf(overlap.id);
    expect(dead).toMatchObject({ source: 'mqtt', topic: `cw/${site}/booking`, event_id: overlap.id });
    expect(dead.reason).toContain('is already booked for part of that time');
    expect(dead.raw).toContain(overlap.booking);
  });

  it('dead-letters a move of a booking that is no longer confirmed, and a cancel of an unknown booking', async () => {
    const id = uniqueId('bk');
    const created = bookingEvent(id, 'desk-1', '2030-01-09T10:00:00Z', '2030-01-09T11:00:00Z');
    const cancelled = bookingEvent(id, 'desk-1', created.start, created.end, 'cancelled');
    expect(await postEvents([created, cancelled])).toMatchObject({ accepted: 2 });
    const moved = bookingEvent(id, 'desk-1', '2030-01-09T12:00:00Z', '2030-01-09T13:00:00Z', 'updated');
    const ghost = bookingEvent(uniqueId('bk'), 'desk-1', created.start, created.end, 'cancelled');
    expect(await postEvents([moved, ghost])).toMatchObject({ accepted: 2 });
    const [deadMove] = await deadLetterOf(moved.id);
    expect(deadMove.reason).toBe(
      `booking ${id} not applied: booking ${id} is cancelled; only a confirmed booking can be moved`,
    );
    const [deadCancel] = await deadLetterOf(ghost.id);
    expect(deadCancel.reason).toBe(
      `booking ${ghost.booking} not applied: booking ${ghost.booking} not found`,
    );
    expect(await statusOf(id)).toBe('cancelled');
  });

  it('refuses unknown resources and ends before starts at ingest, into the same dead letter', async () => {
    const unknown = bookingEvent(uniqueId('bk'), 'room-9', '2030-01-10T10:00:00Z', '2030-01-10T11:00:00Z');
    const backwards = bookingEvent(uniqueId('bk'), 'room-1', '2030-01-10T11:00:00Z', '2030-01-10T10:00:00Z');
    const answer = await postEvents([unknown, backwards]);
    expect(answer.accepted).toBe(0);
    expect(answer.rejected).toEqual([
      { index: 0, errors: [{ path: 'resource', message: `unknown resource room-9 at site ${site}` }] },
      { index: 1, errors: [{ path: 'end', message: 'must be after start' }] },
    ]);
    expect((await deadLetterOf(unknown.id))[0].reason).toBe(`unknown resource room-9 at site ${site}`);
    expect((await deadLetterOf(backwards.id))[0].raw).toContain(backwards.booking);
  });
});
