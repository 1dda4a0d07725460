import request from 'supertest';
import { EmbeddedDatabase } from '@cw/database';
import { BorrowedDatabase } from '../support/borrowed-database';
import { waitFor } from '../support/mqtt-client';
import { openSeededDatabase } from '../support/seeded-database';
import { ADMIN_TOKEN, startPlatform, TestPlatform } from '../support/test-app';
import { siteDocument, uniqueId } from '../support/factories';

/**
 * The clock interface for simulations: set to a simulated time and sped up, no-show decisions follow the time on
 * the events, so a booking with its default 15-minute grace is decided in a fraction of a real second.
 */
describe('controllable clock (CLOCK_CONTROL=on)', () => {
  let db: EmbeddedDatabase;
  let platform: TestPlatform;
  const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

  beforeAll(async () => {
    db = await openSeededDatabase();
    platform = await startPlatform(new BorrowedDatabase(db), { CLOCK_CONTROL: 'on', INGEST_FLUSH_MS: '10' });
    await platform.putSite('c1', siteDocument());
  });

  afterAll(async () => {
    await platform?.close();
    await db.close();
  });

  it('is refused in production at boot', async () => {
    await expect(
      startPlatform(new BorrowedDatabase(db), { CLOCK_CONTROL: 'on', NODE_ENV: 'production' }),
    ).rejects.toThrow('Invalid environment variable CLOCK_CONTROL');
  });

  it('sets simulated time, runs it fast, and no-show grace passes in simulated minutes', async () => {
    const simStart = new Date('2026-03-10T08:00:00Z');
    const set = await request(platform.url)
      .put('/v1/clock')
      .set(auth)
      .send({ now: simStart.toISOString(), speed: 600 });
    expect(set.status).toBe(200);
    expect(set.body.controllable).toBe(true);
    const id = uniqueId('bk');
    // Starts one simulated minute from now; grace (15 min) ends 16 simulated minutes = 1.6 real seconds away.
    const start = new Date(simStart.getTime() + 60_000);
    await request(platform.url)
      .post('/v1/bookings')
      .set(auth)
      .send({
        site: 'c1',
        id,
        resource: 'room-1',
        member: 'm1',
        start: start.toISOString(),
        end: new Date(start.getTime() + 3600_000).toISOString(),
      })
      .expect(201);
    const status = async () =>
      (await request(platform.url).get(`/v1/bookings/${id}?site=c1`).set(auth)).body.status as string;
    expect(await waitFor(status, (s) => s === 'released', 8000)).toBe('released');
    const release = await db.query<{ decided_at: Date }>(
      'SELECT decided_at FROM booking_releases WHERE booking_id = $1',
      [id],
    );
    expect(new Date(release.rows[0].decided_at).toISOString()).toBe(
      new Date(start.getTime() + 15 * 60_000).toISOString(),
    );
    const clock = await request(platform.url).get('/v1/clock').set(auth);
    expect(Date.parse((clock.body as { now: string }).now)).toBeGreaterThan(start.getTime() + 15 * 60_000);
  });

  it('takes events stamped in simulated time without clamping them as clock skew', async () => {
    const clock = await request(platform.url).get('/v1/clock').set(auth);
    const id = uniqueId('ev');
    const response = await request(platform.url)
      .post('/v1/events')
      .set(auth)
      .send([
        {
          type: 'sensor',
          site: 'c1',
          sensor: 'pir-room-2',
          id,
          ts: clock.body.now,
          kind: 'presence',
          value: 1,
        },
      ]);
    expect(response.body.accepted).toBe(1);
    const row = await db.query<{ clock_skew_ms: number | null }>(
      'SELECT clock_skew_ms FROM sensor_readings WHERE event_id = $1',
      [id],
    );
    expect(row.rows[0].clock_skew_ms).toBeNull();
  });

  it('is read-only without CLOCK_CONTROL', async () => {
    const plain = await startPlatform(new BorrowedDatabase(db));
    const refused = await request(plain.url)
      .put('/v1/clock')
      .set(auth)
      .send({ now: '2026-01-01T00:00:00Z', speed: 10 });
    expect(refused.status).toBe(403);
    await plain.close();
  });
});
