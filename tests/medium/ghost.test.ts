import request from 'supertest';
import { EmbeddedDatabase } from '@cw/database';
import { NoShowPolicies } from '@cw/noshow';
import { BorrowedDatabase } from '../support/borrowed-database';
import { waitFor } from '../support/mqtt-client';
import { openSeededDatabase } from '../support/seeded-database';
import { ADMIN_TOKEN, startPlatform, TestPlatform } from '../support/test-app';
import { siteDocument, uniqueId } from '../support/factories';

const MIN = 60_000;

/** Ghost release on the clock at 60x: a simulated minute per real second, the default debounce and a 2-minute ghost rule. */
describe('ghost release (opt-in)', () => {
  let db: EmbeddedDatabase;
  let platform: TestPlatform;
  const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  const api = () => request(platform.url);

  beforeAll(async () => {
    db = await openSeededDatabase();
    platform = await startPlatform(new BorrowedDatabase(db), { CLOCK_CONTROL: 'on', INGEST_FLUSH_MS: '10' });
    await platform.putSite('g1', siteDocument());
    await platform.putSite('g2', siteDocument());
    const policy = { earlyMs: 15 * MIN, graceMs: 15 * MIN, ghostAfterMs: 2 * MIN };
    await platform.app.get(NoShowPolicies).set('g1', '*', { ...policy, ghostEnabled: true });
    await platform.app.get(NoShowPolicies).set('g2', '*', { ...policy, ghostEnabled: false });
    await api().put('/v1/clock').set(auth).send({ now: '2026-03-10T09:00:00Z', speed: 60 }).expect(200);
  });

  afterAll(async () => {
    await platform?.close();
    await db.close();
  });

  const simNow = async () => new Date(((await api().get('/v1/clock').set(auth)).body as { now: string }).now);
  const status = async (site: string, id: string) =>
    ((await api().get(`/v1/bookings/${id}?site=${site}`).set(auth)).body as { status: string }).status;
  const presence = async (site: string, value: number) =>
    api()
      .post('/v1/events')
      .set(auth)
      .send([
        {
          type: 'sensor',
          site,
          sensor: 'pir-room-1',
          id: uniqueId('p'),
          ts: (await simNow()).toISOString(),
          kind: 'presence',
          value,
        },
      ])
      .expect(202);
  const meeting = async (site: string) => {
    const id = uniqueId('bk');
    const start = await simNow();
    await api()
      .post('/v1/bookings')
      .set(auth)
      .send({
        site,
        id,
        resource: 'room-1',
        member: 'm1',
        start: start.toISOString(),
        end: new Date(start.getTime() + 60 * MIN).toISOString(),
      })
      .expect(201);
    await presence(site, 1);
    expect(
      await waitFor(
        () => status(site, id),
        (s) => s === 'checked_in',
      ),
    ).toBe('checked_in');
    return id;
  };

  it('gives back the rest of a checked-in booking whose room stays empty, where the site opted in', async () => {
    const id = await meeting('g1');
    await presence('g1', 0);
    expect(
      await waitFor(
        () => status('g1', id),
        (s) => s === 'released',
        15_000,
      ),
    ).toBe('released');
    const release = await db.query<{ reason: string }>(
      'SELECT reason FROM booking_releases WHERE site_id = $1 AND booking_id = $2',
      ['g1', id],
    );
    expect(release.rows).toEqual([{ reason: 'ghost' }]);
  });

  it('keeps the booking when people come back before the ghost period ends', async () => {
    await api().put('/v1/clock').set(auth).send({ now: '2026-03-10T13:00:00Z', speed: 60 }).expect(200);
    const id = await meeting('g1');
    await presence('g1', 0);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await presence('g1', 1);
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(await status('g1', id)).toBe('checked_in');
  });

  it('never releases a checked-in booking where the site did not opt in', async () => {
    const id = await meeting('g2');
    await presence('g2', 0);
    await new Promise((resolve) => setTimeout(resolve, 5000));
    expect(await status('g2', id)).toBe('checked_in');
  });
});
