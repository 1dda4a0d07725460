import request from 'supertest';
import { EmbeddedDatabase } from '@cw/database';
import { OccupancySnapshot } from '@cw/events';
import { BorrowedDatabase } from '../support/borrowed-database';
import { waitFor } from '../support/mqtt-client';
import { openSeededDatabase } from '../support/seeded-database';
import { ADMIN_TOKEN, startPlatform, TestPlatform } from '../support/test-app';
import { siteDocument, uniqueId } from '../support/factories';

/**
 * People counters start over at site close (DESIGN.md: counters never negative, reset at site close), at the close
 * of the site's own opening hours in its own time zone. The controllable clock puts the test a few seconds before a
 * Monday 20:00 close in Madrid (19:00Z in winter).
 */
describe('people counters at site close', () => {
  let db: EmbeddedDatabase;
  let platform: TestPlatform;
  const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  const site = 'close1';
  const closeAt = Date.parse('2026-03-09T19:00:00Z');

  beforeAll(async () => {
    db = await openSeededDatabase();
    platform = await startPlatform(new BorrowedDatabase(db), { CLOCK_CONTROL: 'on', INGEST_FLUSH_MS: '10' });
    const base = siteDocument();
    await platform.putSite(site, {
      ...base,
      openingHours: [{ day: 'mon', open: '08:00', close: '20:00' }],
      devices: [
        ...(base.devices ?? []).filter((d) => d.id !== 'pir-room-2'),
        { id: 'counter-room-2', type: 'sensor', name: 'Room 2 counter', resources: ['room-2'] },
      ],
    });
  });

  afterAll(async () => {
    await platform?.close();
    await db.close();
  });

  const setClock = (now: number, speed: number) =>
    request(platform.url)
      .put('/v1/clock')
      .set(auth)
      .send({ now: new Date(now).toISOString(), speed })
      .expect(200);
  const simNow = async () =>
    Date.parse(((await request(platform.url).get('/v1/clock').set(auth)).body as { now: string }).now);
  const room2 = async () =>
    (
      (await request(platform.url).get(`/v1/sites/${site}/occupancy`).set(auth)).body as OccupancySnapshot
    ).resources.find((r) => r.resourceId === 'room-2');
  const count = async (kind: 'people_in' | 'people_out', value: number, ts: number) => {
    const response = await request(platform.url)
      .post('/v1/events')
      .set(auth)
      .send([
        {
          type: 'sensor',
          site,
          sensor: 'counter-room-2',
          id: uniqueId('c'),
          ts: new Date(ts).toISOString(),
          kind,
          value,
        },
      ]);
    expect(response.body).toMatchObject({ accepted: 1, rejected: [] });
  };

  it('puts counter-based occupancy back to 0 at the close, in the site zone, and starts counting again', async () => {
    await setClock(closeAt - 20_000, 1);
    await count('people_in', 3, closeAt - 19_000);
    await count('people_out', 1, closeAt - 18_000);
    expect(await waitFor(room2, (r) => r?.occupancy === 2, 5000)).toMatchObject({
      state: 'occupied',
      occupancy: 2,
    });

    // Run the simulated clock fast through the close: nobody was counted out, yet the room is empty at 20:00.
    await setClock(closeAt - 15_000, 20);
    expect(await waitFor(room2, (r) => r?.occupancy === 0, 5000)).toMatchObject({
      state: 'free',
      occupancy: 0,
    });
    expect(await simNow()).toBeGreaterThanOrEqual(closeAt);
    // The change log is written behind the live deltas, in batches: it shows the reset once flushed.
    const logged = await waitFor(
      async () =>
        (
          await db.query<{ state: string; occupancy: number }>(
            `SELECT state, occupancy FROM occupancy_changes WHERE site_id = $1 AND resource_id = 'room-2' AND ts >= $2
             ORDER BY ts LIMIT 1`,
            [site, new Date(closeAt).toISOString()],
          )
        ).rows,
      (rows) => rows.length > 0,
      5000,
    );
    expect(logged[0]).toEqual({ state: 'free', occupancy: 0 });

    // A late "out" stamped before the close neither counts nor goes below zero; a new "in" after it counts from 0.
    await setClock(closeAt + 60_000, 1);
    await count('people_out', 2, closeAt - 5000);
    await count('people_in', 1, closeAt + 61_000);
    expect(await waitFor(room2, (r) => r?.occupancy === 1, 5000)).toMatchObject({
      state: 'occupied',
      occupancy: 1,
    });
  });
});
