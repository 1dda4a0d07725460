import { EmbeddedDatabase, refreshPlannerStatistics } from '@cw/database';
import { openSeededDatabase } from '../support/seeded-database';

/**
 * The embedded database never gathers planner statistics by itself (no autovacuum, no activity counters): without
 * them the no-show evidence lookup scanned every active booking of the site instead of using its index.
 */
describe('planner statistics', () => {
  let db: EmbeddedDatabase;

  beforeAll(async () => {
    db = await openSeededDatabase();
  });

  afterAll(async () => {
    await db.close();
  });

  const lookupPlan = async () =>
    (
      await db.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT * FROM bookings WHERE site_id = 'ps1' AND resource_id = ANY(ARRAY['d-7']) AND status = 'confirmed'
         AND start_at BETWEEN '2030-01-01T00:00:00Z' AND '2030-01-01T02:00:00Z'`,
      )
    ).rows
      .map((r) => r['QUERY PLAN'])
      .join('\n');

  it('analyzes the tables that grew, and only those, so the lookup uses its index', async () => {
    await db.exec(`
      INSERT INTO sites (id, name, time_zone, currency) VALUES ('ps1', 'Stats', 'Europe/Madrid', 'EUR');
      INSERT INTO floors (site_id, id, name, level, plan) VALUES ('ps1', 'f0', 'Ground', 0, '{"width": 10, "height": 10}');
      INSERT INTO resources (site_id, id, floor_id, name, kind, capacity, polygon)
        SELECT 'ps1', 'd-' || g, 'f0', 'Desk ' || g, 'desk', 1, '[[0,0],[1,0],[1,1]]' FROM generate_series(1, 1000) g;
      INSERT INTO bookings (site_id, id, resource_id, member_id, start_at, end_at, status, source)
        SELECT 'ps1', 'b-' || g, 'd-' || (g % 1000 + 1), 'm1',
               timestamptz '2030-01-01T00:00:00Z' + (g / 1000) * interval '1 day',
               timestamptz '2030-01-01T01:00:00Z' + (g / 1000) * interval '1 day', 'confirmed', 'api'
        FROM generate_series(1, 20000) g;
    `);
    const analyzed = await refreshPlannerStatistics(db);
    expect(analyzed).toEqual(expect.arrayContaining(['public.bookings', 'public.resources']));
    expect(await lookupPlan()).toContain('bookings_site_resource_start');
    // Nothing grew since: a second pass has nothing to do.
    expect(await refreshPlannerStatistics(db)).toEqual([]);
  });
});
