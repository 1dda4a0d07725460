import request from 'supertest';
import { EmbeddedDatabase } from '@cw/database';
import { DirtyDaysTracker, KpiMaintenance, KpiService, SiteKpis } from '@cw/kpi';
import { SiteDocumentInput, SitesService } from '@cw/sites';
import { BorrowedDatabase } from '../support/borrowed-database';
import { openSeededDatabase } from '../support/seeded-database';
import { ADMIN_TOKEN, startPlatform, TestPlatform } from '../support/test-app';
import { uniqueId } from '../support/factories';

/**
 * A hand-computed fixture in Europe/Madrid (CET +01:00 until 29 March 2026, CEST +02:00 after), open Monday to
 * Friday 08:00-20:00 (07:00-19:00 UTC in March, 720 minutes), closed on Saturday, open round the clock on Sunday.
 * Every expected number below is worked out in the comment beside it.
 */
const SITE = 'kpi1';
const square = (x: number): [number, number][] => [
  [x, 0],
  [x + 2, 0],
  [x + 2, 2],
  [x, 2],
];
const site: SiteDocumentInput = {
  name: 'KPI fixture',
  timeZone: 'Europe/Madrid',
  currency: 'EUR',
  openingHours: [
    ...(['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, open: '08:00', close: '20:00' })),
    { day: 'sun', open: '00:00', close: '24:00' },
  ],
  floors: [
    {
      id: 'f0',
      name: 'Ground',
      plan: { width: 20, height: 10 },
      resources: [
        { id: 'desk-1', name: 'Desk 1', kind: 'desk', polygon: square(0) },
        { id: 'room-1', name: 'Room 1', kind: 'meeting_room', capacity: 6, polygon: square(3) },
        { id: 'room-2', name: 'Room 2', kind: 'meeting_room', capacity: 4, polygon: square(6) },
        { id: 'booth-1', name: 'Booth 1', kind: 'phone_booth', polygon: square(9) },
      ],
    },
  ],
  devices: [
    { id: 'door-main', type: 'door', name: 'Entrance', resources: [] },
    { id: 'counter-main', type: 'sensor', name: 'Entrance counter', resources: [] },
    { id: 'pir-desk-1', type: 'sensor', name: 'Desk 1 presence', resources: ['desk-1'] },
    { id: 'pir-room-1', type: 'sensor', name: 'Room 1 presence', resources: ['room-1'] },
    // room-2 has a door and no presence sensor: a granted badge counts 15 minutes; booth-1 has nothing at all.
    { id: 'door-room-2', type: 'door', name: 'Room 2 door', resources: ['room-2'] },
  ],
};

describe('KPIs on a hand-computed fixture (embedded TimescaleDB)', () => {
  let db: EmbeddedDatabase;
  let platform: TestPlatform;

  const reading = (sensor: string, resource: string | null, ts: string, kind: string, value: number) =>
    db.query(
      `INSERT INTO sensor_readings (ts, site_id, sensor_id, event_id, kind, value, resource_id, device_ts, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $1, $1)`,
      [ts, SITE, sensor, uniqueId('r'), kind, value, resource],
    );
  const presence = (sensor: string, resource: string, ...points: [string, number][]) =>
    Promise.all(points.map(([ts, v]) => reading(sensor, resource, ts, 'presence', v)));
  const door = (doorId: string, resources: string[], ts: string, member: string, direction = 'in') =>
    db.query(
      `INSERT INTO door_events (ts, site_id, door_id, event_id, credential, member_id, direction, result, resource_ids,
                                device_ts, received_at)
       VALUES ($1, $2, $3, $4, $5, $5, $6, 'granted', $7, $1, $1)`,
      [ts, SITE, doorId, uniqueId('d'), member, direction, resources],
    );
  const booking = (id: string, resource: string, start: string, end: string, status = 'ended') =>
    db.query(
      `INSERT INTO bookings (site_id, id, resource_id, member_id, start_at, end_at, status, source)
       VALUES ($1, $2, $3, 'm1', $4, $5, $6, 'external')`,
      [SITE, id, resource, start, end, status],
    );
  const kpis = async (query: string, site = SITE): Promise<SiteKpis> => {
    const res = await request(platform.url)
      .get(`/v1/sites/${site}/kpis?${query}`)
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(res.status).toBe(200);
    return res.body as SiteKpis;
  };
  const resource = (k: SiteKpis, id: string) => k.resources.find((r) => r.resourceId === id)!;
  const kind = (k: SiteKpis, name: string) => k.kinds.find((r) => r.kind === name)!;

  beforeAll(async () => {
    db = await openSeededDatabase();
    platform = await startPlatform(new BorrowedDatabase(db));
    await platform.putSite(SITE, site);

    // Monday 2 March 2026, open 07:00-19:00 UTC.
    // desk-1: 06:55-07:05 clipped at opening = 5 min; 08:00-08:12 (two repeats, then a 0) = 12 min; a lone 1 at
    // 09:00 holds 10 min; 10:00-10:15 with a 0 at 10:05 bridged by a 1 30 s later = 15 min. Total 42 min.
    await presence('pir-desk-1', 'desk-1', ['2026-03-02T06:55:00Z', 1], ['2026-03-02T07:05:00Z', 0]);
    await presence(
      'pir-desk-1',
      'desk-1',
      ['2026-03-02T08:00:00Z', 1],
      ['2026-03-02T08:05:00Z', 1],
      ['2026-03-02T08:10:00Z', 1],
      ['2026-03-02T08:12:00Z', 0],
      ['2026-03-02T09:00:00Z', 1],
      ['2026-03-02T10:00:00Z', 1],
      ['2026-03-02T10:05:00Z', 0],
      ['2026-03-02T10:05:30Z', 1],
      ['2026-03-02T10:15:00Z', 0],
    );
    // room-1: present 09:00-09:30 = 30 min, inside booking b1 (09:00-10:00, 60 min); b2 (11:00-11:30) was a
    // no-show, released. Booked 90 min, used 30.
    await presence(
      'pir-room-1',
      'room-1',
      ['2026-03-02T09:00:00Z', 1],
      ['2026-03-02T09:05:00Z', 1],
      ['2026-03-02T09:10:00Z', 1],
      ['2026-03-02T09:15:00Z', 1],
      ['2026-03-02T09:20:00Z', 1],
      ['2026-03-02T09:25:00Z', 1],
      ['2026-03-02T09:30:00Z', 0],
    );
    await booking('b1', 'room-1', '2026-03-02T09:00:00Z', '2026-03-02T10:00:00Z');
    await booking('b2', 'room-1', '2026-03-02T11:00:00Z', '2026-03-02T11:30:00Z', 'released');
    await db.query(
      `INSERT INTO booking_releases (site_id, booking_id, release_id, resource_id, reason, booking_start, booking_end,
                                     decided_at)
       VALUES ($1, 'b2', 'rel-b2', 'room-1', 'no_show', '2026-03-02T11:00:00Z', '2026-03-02T11:30:00Z',
               '2026-03-02T11:15:00Z')`,
      [SITE],
    );
    // room-2: a badge at 13:00 = 13:00-13:15, 15 min, inside b3 (12:50-13:20, 30 min); an "out" badge counts nothing.
    await door('door-room-2', ['room-2'], '2026-03-02T13:00:00Z', 'm1');
    await door('door-room-2', ['room-2'], '2026-03-02T14:00:00Z', 'm1', 'out');
    await booking('b3', 'room-2', '2026-03-02T12:50:00Z', '2026-03-02T13:20:00Z');
    // booth-1: booked 30 min, no sensor. A cancelled booking counts nowhere.
    await booking('b4', 'booth-1', '2026-03-02T15:00:00Z', '2026-03-02T15:30:00Z');
    await booking('b5', 'booth-1', '2026-03-02T16:00:00Z', '2026-03-02T17:00:00Z', 'cancelled');
    // Entrance: in 3 at 08:00 (3 inside); at 08:30 out 1 and in 2 (outs first: 2, then 4); out 4 at 12:00.
    await reading('counter-main', null, '2026-03-02T08:00:00Z', 'people_in', 3);
    await reading('counter-main', null, '2026-03-02T08:30:00Z', 'people_out', 1);
    await reading('counter-main', null, '2026-03-02T08:30:00Z', 'people_in', 2);
    await reading('counter-main', null, '2026-03-02T12:00:00Z', 'people_out', 4);
    // Members through the entrance: m1 twice, m2 once.
    await door('door-main', [], '2026-03-02T07:30:00Z', 'm1');
    await door('door-main', [], '2026-03-02T07:45:00Z', 'm2');
    await door('door-main', [], '2026-03-02T12:30:00Z', 'm1');

    // Saturday 7 March: closed; a reading changes nothing.
    await presence('pir-desk-1', 'desk-1', ['2026-03-07T10:00:00Z', 1], ['2026-03-07T10:30:00Z', 0]);

    // Sunday 29 March, clocks go from 02:00 to 03:00: open 00:00-24:00 local = 23 hours = 1380 min. desk-1 is
    // occupied 00:50-01:10 UTC (01:50 CET to 03:10 CEST; each 1 is followed by a reading within its 10-minute
    // hold) = 20 min, 10 in local hour 01 and 10 in local hour 03.
    await presence(
      'pir-desk-1',
      'desk-1',
      ['2026-03-29T00:50:00Z', 1],
      ['2026-03-29T00:58:00Z', 1],
      ['2026-03-29T01:05:00Z', 1],
      ['2026-03-29T01:10:00Z', 0],
    );

    const refresh = await request(platform.url)
      .post(`/v1/sites/${SITE}/kpis/refresh`)
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .send({ from: '2026-03-01', to: '2026-03-31' });
    expect(refresh.status).toBe(200);
    expect(refresh.body).toMatchObject({ days: 31 });
  });

  afterAll(async () => {
    await platform?.close();
    await db?.close();
  });

  it('computes each KPI of the Monday per resource, per kind and for the site', async () => {
    const k = await kpis('period=day&date=2026-03-02');
    expect(k.complete).toBe(true);
    expect(k.period).toMatchObject({ start: '2026-03-01T23:00:00.000Z', end: '2026-03-02T23:00:00.000Z' });

    const desk = resource(k, 'desk-1');
    expect(desk.totals).toMatchObject({ openMinutes: 720, occupiedMinutes: 42, bookedMinutes: 0 });
    expect(desk.utilisation).toEqual({ value: 0.0583 }); // 42 / 720
    expect(desk.bookedVsUsed).toEqual({ value: null, reason: 'no_bookings' });

    const room1 = resource(k, 'room-1');
    expect(room1.totals).toMatchObject({ occupiedMinutes: 30, bookedMinutes: 90, usedMinutes: 30 });
    expect(room1.utilisation).toEqual({ value: 0.0417 }); // 30 / 720
    expect(room1.bookingRate).toEqual({ value: 0.125 }); // 90 / 720
    expect(room1.bookedVsUsed).toEqual({ value: 0.3333 }); // 30 / 90
    expect(room1.noShowRate).toEqual({ value: 0.5 }); // 1 of b1, b2

    const room2 = resource(k, 'room-2');
    expect(room2.sensed).toBe(true);
    expect(room2.totals).toMatchObject({ occupiedMinutes: 15, bookedMinutes: 30, usedMinutes: 15 });
    expect(room2.bookedVsUsed).toEqual({ value: 0.5 }); // 15 / 30

    const booth = resource(k, 'booth-1');
    expect(booth.sensed).toBe(false);
    expect(booth.utilisation).toEqual({ value: null, reason: 'no_presence_sensor' });
    expect(booth.bookedVsUsed).toEqual({ value: null, reason: 'no_presence_sensor' });
    expect(booth.bookingRate).toEqual({ value: 0.0417 }); // 30 / 720; the cancelled hour is not booked
    // Peaks: one seat with presence counts 1 from opening (06:55 is clipped to 07:00); several seats with presence
    // or a door cannot be counted; no sensor at all says so.
    expect(desk.peakOccupancy).toEqual({ value: 1, at: '2026-03-02T07:00:00.000Z' });
    expect(room1.peakOccupancy).toEqual({ value: null, reason: 'presence_cannot_count' });
    expect(room2.peakOccupancy).toEqual({ value: null, reason: 'presence_cannot_count' });
    expect(booth.peakOccupancy).toEqual({ value: null, reason: 'no_presence_sensor' });
    expect(kind(k, 'desk').peakOccupancy).toEqual({ value: 1, at: '2026-03-02T07:00:00.000Z' });
    expect(kind(k, 'meeting_room')).toMatchObject({
      countedResources: 0,
      peakOccupancy: { value: null, reason: 'presence_cannot_count' },
    });
    expect(kind(k, 'phone_booth').peakOccupancy).toEqual({ value: null, reason: 'no_presence_sensor' });

    expect(kind(k, 'meeting_room').utilisation).toEqual({ value: 0.0313 }); // (30 + 15) / (2 x 720)
    expect(kind(k, 'meeting_room').bookedVsUsed).toEqual({ value: 0.375 }); // (30 + 15) / (90 + 30)
    expect(kind(k, 'phone_booth').utilisation).toEqual({ value: null, reason: 'no_presence_sensor' });

    expect(k.site.utilisation).toEqual({ value: 0.0403 }); // (42 + 30 + 15) / (3 sensed x 720) = 87 / 2160
    expect(k.site.bookingRate).toEqual({ value: 0.0521 }); // (90 + 30 + 30) / (4 x 720) = 150 / 2880
    expect(k.site.bookedVsUsed).toEqual({ value: 0.375 }); // booth-1's 30 booked minutes have no sensor
    expect(k.site.noShowRate).toEqual({ value: 0.25 }); // b2 of b1..b4 (b5 was cancelled)
    expect(k.site.peakOccupancy).toEqual({ value: 4, at: '2026-03-02T08:30:00.000Z' });
  });

  it('answers a closed Saturday with null and the reason', async () => {
    const k = await kpis('period=day&date=2026-03-07');
    expect(resource(k, 'desk-1').utilisation).toEqual({ value: null, reason: 'closed' });
    expect(k.site.bookingRate).toEqual({ value: null, reason: 'closed' });
    expect(resource(k, 'desk-1').peakOccupancy).toEqual({ value: null, reason: 'closed' });
  });

  it('counts 23 open hours on the day clocks go forward, and fills the heatmap by local hour', async () => {
    const k = await kpis('period=day&date=2026-03-29');
    const desk = resource(k, 'desk-1');
    expect(desk.totals).toMatchObject({ openMinutes: 1380, occupiedMinutes: 20 });
    expect(desk.utilisation).toEqual({ value: 0.0145 }); // 20 / 1380
    const sunday = 6 * 24;
    // Local 01:00-02:00 had 10 occupied minutes of 60 open; 02:00-03:00 did not exist; 03:00-04:00 had 10.
    expect(k.heatmap.kinds.desk[sunday + 1]).toBe(0.1667);
    expect(k.heatmap.kinds.desk[sunday + 2]).toBeNull();
    expect(k.heatmap.kinds.desk[sunday + 3]).toBe(0.1667);
    expect(k.heatmap.site[sunday + 1]).toBe(0.0556); // 600 s / (3600 s x 3 sensed resources)
  });

  it('sums a week over its open days only', async () => {
    const k = await kpis('period=week&date=2026-03-04');
    const desk = resource(k, 'desk-1');
    // Monday-Friday 5 x 720 + Sunday 8 March 1440 = 5040 open minutes; occupied 42 (Saturday's reading is closed time).
    expect(desk.totals).toMatchObject({ openMinutes: 5040, occupiedMinutes: 42 });
    expect(desk.utilisation).toEqual({ value: 0.0083 });
  });

  it('forecasts utilisation per hour of week from the weeks before a date', async () => {
    const kpi = platform.app.get(KpiService);
    const forecast = await kpi.forecastUtilisation(
      SITE,
      { resourceId: 'desk-1' },
      4,
      new Date('2026-03-30T12:00:00Z'),
    );
    // Four weeks 2-29 March: Sunday local 01:00 was open 4 x 3600 s and occupied 600 s.
    expect(forecast.hourOfWeek[6 * 24 + 1]).toBe(0.0417);
    // Monday 09:00 local (08:00 UTC): 12 min occupied on 2 March of 4 x 60 open.
    expect(forecast.hourOfWeek[9]).toBe(0.05);
    expect(forecast.hourOfWeek[5 * 24 + 10]).toBeNull(); // Saturdays closed
  });

  it('answers a period in the future and a site without opening hours with null and a reason', async () => {
    const future = await kpis('period=month&date=2099-01-01');
    expect(future.site.utilisation).toEqual({ value: null, reason: 'period_in_future' });
    expect(resource(future, 'room-1').noShowRate).toEqual({ value: null, reason: 'period_in_future' });

    await platform.putSite('kpi-nohours', { ...site, openingHours: [] });
    const none = await kpis('period=day&date=2026-03-02', 'kpi-nohours');
    expect(none.site.utilisation).toEqual({ value: null, reason: 'no_opening_hours' });
    expect(none.site.bookingRate).toEqual({ value: null, reason: 'no_opening_hours' });
  });

  it('measures a past day against the opening hours it had: hours set since apply from their day on', async () => {
    const hoursSite = 'kpi-hours';
    await platform.putSite(hoursSite, site);
    // desk-1 on Monday 2 March: a lone 1 at 08:00 UTC holds 10 min, of the 720 open then (08:00-20:00 local).
    await db.query(
      `INSERT INTO sensor_readings (ts, site_id, sensor_id, event_id, kind, value, resource_id, device_ts, received_at)
       SELECT ts, $1, 'pir-desk-1', $2 || v, 'presence', v, 'desk-1', ts, ts
       FROM (VALUES ('2026-03-02T08:00:00Z'::timestamptz, 1), ('2026-03-02T08:12:00Z'::timestamptz, 0)) AS r(ts, v)`,
      [hoursSite, uniqueId('h')],
    );
    const refresh = () =>
      request(platform.url)
        .post(`/v1/sites/${hoursSite}/kpis/refresh`)
        .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
        .send({ from: '2026-03-02', to: '2026-03-02' });
    expect((await refresh()).status).toBe(200);
    const before = resource(await kpis('period=day&date=2026-03-02', hoursSite), 'desk-1');
    expect(before.totals).toMatchObject({ openMinutes: 720, occupiedMinutes: 10 });

    // The site now opens 10:00-14:00 on weekdays: March keeps its 720 open minutes, also once re-derived.
    const shorter = (site.openingHours ?? []).map((slot) =>
      slot.day === 'sun' ? slot : { ...slot, open: '10:00', close: '14:00' },
    );
    await platform.putSite(hoursSite, { ...site, openingHours: shorter });
    await platform.putSite(hoursSite, { ...site, openingHours: shorter }); // the same again: no new version
    const history = await platform.app.get(SitesService).openingHoursHistory(hoursSite);
    expect(history.map((v) => [v.validFrom, v.openingHours.length])).toEqual([
      [null, 6],
      // From today at the site (Madrid), which is not always today in UTC.
      [new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Madrid' }).format(new Date()), 6],
    ]);
    expect(history[1].openingHours[0]).toEqual({ day: 'mon', open: '10:00', close: '14:00' });
    expect((await refresh()).status).toBe(200);
    const after = resource(await kpis('period=day&date=2026-03-02', hoursSite), 'desk-1');
    expect(after.totals).toEqual(before.totals);
    expect(after.utilisation).toEqual({ value: 0.0139 }); // 10 / 720
  });

  it('refuses a malformed query with 400 and the paths of the bad fields', async () => {
    const res = await request(platform.url)
      .get(`/v1/sites/${SITE}/kpis?period=fortnight&date=2026-02-30`)
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(res.status).toBe(400);
    const paths = (res.body as { errors: { path: string }[] }).errors.map((e) => e.path).sort();
    expect(paths).toEqual(['date', 'period']);
    const missing = await request(platform.url)
      .get('/v1/sites/nope/kpis?period=day&date=2026-03-02')
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(missing.status).toBe(404);
  });

  it('keeps the aggregates as real continuous aggregates, refreshed by the maintenance job', async () => {
    const { rows: views } = await db.query<{ view_name: string }>(
      `SELECT view_name FROM timescaledb_information.continuous_aggregates ORDER BY view_name`,
    );
    expect(views.map((v) => v.view_name)).toEqual([
      'kpi_bookings_hourly',
      'kpi_kind_hourly',
      'kpi_member_visits_daily',
      'kpi_occupancy_15m',
      'kpi_resource_daily',
    ]);
    const { rows: visits } = await db.query<{ member_id: string; visits: number }>(
      `SELECT member_id, visits FROM kpi_member_visits_daily WHERE site_id = $1 AND local_date = '2026-03-02'
       ORDER BY member_id`,
      [SITE],
    );
    expect(visits).toEqual([
      { member_id: 'm1', visits: 2 },
      { member_id: 'm2', visits: 1 },
    ]);

    // A late reading for Tuesday 3 March arrives through ingest: the tracker marks the day, the job re-derives it.
    const late = await request(platform.url)
      .post('/v1/events')
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .send([
        {
          type: 'sensor',
          site: SITE,
          sensor: 'pir-desk-1',
          id: uniqueId('l'),
          ts: '2026-03-03T09:00:00Z',
          kind: 'presence',
          value: 1,
        },
        {
          type: 'sensor',
          site: SITE,
          sensor: 'pir-desk-1',
          id: uniqueId('l'),
          ts: '2026-03-03T09:06:00Z',
          kind: 'presence',
          value: 0,
        },
      ]);
    expect(late.status).toBe(202);
    await platform.app.get(DirtyDaysTracker).flush();
    const { rows: dirty } = await db.query<{ d: string }>(
      `SELECT to_char(local_date, 'YYYY-MM-DD') AS d FROM kpi_dirty_days WHERE site_id = $1`,
      [SITE],
    );
    expect(dirty.map((r) => r.d)).toContain('2026-03-03');
    const before = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM kpi_occupancy_15m WHERE site_id = $1 AND local_date = '2026-03-03'`,
      [SITE],
    );
    expect(before.rows[0].n).toBe(0);

    const maintenance = platform.app.get(KpiMaintenance);
    const run = await maintenance.runOnce({ policies: 'now' });
    expect(run.days).toBeGreaterThanOrEqual(1);
    // compression and retention ran, and are not due again for a day
    expect(run.policies).toBeGreaterThan(0);
    expect((await maintenance.runOnce()).policies).toBe(0);
    const after = await db.query<{ occupied: number }>(
      `SELECT sum(occupied_s)::int AS occupied FROM kpi_occupancy_15m WHERE site_id = $1 AND local_date = '2026-03-03'`,
      [SITE],
    );
    expect(after.rows[0].occupied).toBe(360); // 09:00-09:06
    const k = await kpis('period=day&date=2026-03-03');
    expect(resource(k, 'desk-1').totals.occupiedMinutes).toBe(6);
    const { rows: left } = await db.query(
      `SELECT 1 FROM kpi_dirty_days WHERE site_id = $1 AND local_date = '2026-03-03'`,
      [SITE],
    );
    expect(left).toEqual([]);
  });
  /**
   * Peak occupancy on a second site, same zone and March offsets (open 07:00-19:00 UTC; on Wednesday 07:00-13:00
   * and 15:00-19:00 UTC). The lounge (8 seats) has its own people counter; cell (1 seat) and the desks have presence
   * sensors; studio (4 seats) and hall (30 seats) have presence sensors only, so they cannot be counted.
   */
  describe('peak occupancy per resource and per kind', () => {
    const PEAKS = 'kpi2';
    const weekday = (day: 'mon' | 'tue' | 'thu' | 'fri') => ({ day, open: '08:00', close: '20:00' });
    const peakSite: SiteDocumentInput = {
      ...site,
      name: 'Peak fixture',
      openingHours: [
        weekday('mon'),
        weekday('tue'),
        { day: 'wed', open: '08:00', close: '14:00' },
        { day: 'wed', open: '16:00', close: '20:00' },
        weekday('thu'),
        weekday('fri'),
      ],
      floors: [
        {
          id: 'f0',
          name: 'Ground',
          plan: { width: 20, height: 10 },
          resources: [
            { id: 'lounge', name: 'Lounge', kind: 'meeting_room', capacity: 8, polygon: square(0) },
            { id: 'cell', name: 'Cell', kind: 'meeting_room', capacity: 1, polygon: square(3) },
            { id: 'studio', name: 'Studio', kind: 'meeting_room', capacity: 4, polygon: square(6) },
            { id: 'desk-a', name: 'Desk A', kind: 'desk', polygon: square(9) },
            { id: 'desk-b', name: 'Desk B', kind: 'desk', polygon: square(12) },
            { id: 'hall', name: 'Hall', kind: 'event_space', capacity: 30, polygon: square(15) },
          ],
        },
      ],
      devices: [
        { id: 'counter-lounge', type: 'sensor', name: 'Lounge counter', resources: ['lounge'] },
        ...['cell', 'studio', 'desk-a', 'desk-b', 'hall'].map((id) => ({
          id: `pir-${id}`,
          type: 'sensor' as const,
          name: `${id} presence`,
          resources: [id],
        })),
      ],
    };
    const put = (sensor: string, resource: string, ts: string, kind: string, value: number) =>
      db.query(
        `INSERT INTO sensor_readings (ts, site_id, sensor_id, event_id, kind, value, resource_id, device_ts, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $1, $1)`,
        [ts, PEAKS, sensor, uniqueId('r'), kind, value, resource],
      );
    const lounge = (ts: string, kind: 'people_in' | 'people_out' | 'count', value: number) =>
      put('counter-lounge', 'lounge', `2026-03-0${ts}Z`, kind, value);
    /** Presence 1s every few minutes from the first time, then a 0 at the last: occupied [first, last). */
    const occupied = (id: string, day: string, ...times: string[]) =>
      Promise.all(
        times.map((t, i) =>
          put(`pir-${id}`, id, `2026-03-0${day}T${t}:00Z`, 'presence', i < times.length - 1 ? 1 : 0),
        ),
      );
    const peaksOf = (query: string) => kpis(query, PEAKS);

    beforeAll(async () => {
      await platform.putSite(PEAKS, peakSite);
      // Monday 2 March, lounge: 2 | 3 | 2 | out 1 and in 2 at the same instant: 3 | out 5: 0, not -2 | in 4: 4 (the
      // peak, 10:30; a level allowed below zero would peak at 3) | 0 | 2 until the 19:00 close.
      await lounge('2T08:00:00', 'people_in', 2);
      await lounge('2T08:10:00', 'people_in', 1);
      await lounge('2T08:20:00', 'people_out', 1);
      await lounge('2T09:00:00', 'people_out', 1);
      await lounge('2T09:00:00', 'people_in', 2);
      await lounge('2T10:00:00', 'people_out', 5);
      await lounge('2T10:30:00', 'people_in', 4);
      await lounge('2T12:00:00', 'people_out', 4);
      await lounge('2T18:30:00', 'people_in', 2);
      // cell (one seat) 10:40-10:50 while the lounge holds 4: the meeting rooms peak at 5 (bucket 10:30). studio is
      // occupied 10:35-10:55 too: were it counted as 1, the peak would be 6. hall cannot count either.
      await occupied('cell', '2', '10:40', '10:50');
      await occupied('studio', '2', '10:35', '10:45', '10:55');
      await occupied('hall', '2', '10:00', '10:05');
      // desk-a twice (08:00-08:30, 11:00-11:20), desk-b 08:20-08:50: both at once 08:20-08:30, desks peak at 2.
      await occupied('desk-a', '2', '08:00', '08:08', '08:16', '08:24', '08:30');
      await occupied('desk-a', '2', '11:00', '11:10', '11:20');
      await occupied('desk-b', '2', '08:20', '08:28', '08:36', '08:44', '08:50');
      // Tuesday: the lounge starts from 0 (not Monday's 2): in 1 at 07:30, a count of 2 at 07:40 sets it (not +2),
      // out 1. Peak 2, bucket 07:30. desk-a 09:00-09:20 and desk-b 09:20-09:40 touch without overlapping: peak 1.
      await lounge('3T07:30:00', 'people_in', 1);
      await lounge('3T07:40:00', 'count', 2);
      await lounge('3T07:45:00', 'people_out', 1);
      await occupied('desk-a', '3', '09:00', '09:10', '09:20');
      await occupied('desk-b', '3', '09:20', '09:30', '09:40');
      // Wednesday: 1 in the morning; the 13:00 close resets the counter, so in 1 at 15:30 is 1 again, not 2.
      await lounge('4T10:00:00', 'people_in', 1);
      await lounge('4T15:30:00', 'people_in', 1);
      // Thursday: 3 came in before opening and are there when it opens: 3 at 07:00 (bucket 07:00, not 06:30).
      await lounge('5T06:30:00', 'people_in', 3);
      await lounge('5T07:20:00', 'people_out', 3);
      // Friday: nothing at all.

      const refresh = await request(platform.url)
        .post(`/v1/sites/${PEAKS}/kpis/refresh`)
        .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
        .send({ from: '2026-03-02', to: '2026-03-08' });
      expect(refresh.status).toBe(200);
    });

    it('gives each resource and kind its peak on the Monday, with the bucket it was first reached in', async () => {
      const k = await peaksOf('period=day&date=2026-03-02');
      expect(resource(k, 'lounge').peakOccupancy).toEqual({ value: 4, at: '2026-03-02T10:30:00.000Z' });
      expect(resource(k, 'cell').peakOccupancy).toEqual({ value: 1, at: '2026-03-02T10:30:00.000Z' });
      expect(resource(k, 'desk-a').peakOccupancy).toEqual({ value: 1, at: '2026-03-02T08:00:00.000Z' });
      expect(resource(k, 'desk-b').peakOccupancy).toEqual({ value: 1, at: '2026-03-02T08:15:00.000Z' });
      expect(resource(k, 'studio').peakOccupancy).toEqual({ value: null, reason: 'presence_cannot_count' });
      expect(resource(k, 'hall').peakOccupancy).toEqual({ value: null, reason: 'presence_cannot_count' });
      expect(kind(k, 'meeting_room')).toMatchObject({
        resources: 3,
        countedResources: 2,
        peakOccupancy: { value: 5, at: '2026-03-02T10:30:00.000Z' },
      });
      expect(kind(k, 'desk').peakOccupancy).toEqual({ value: 2, at: '2026-03-02T08:15:00.000Z' });
      expect(kind(k, 'event_space')).toMatchObject({
        countedResources: 0,
        peakOccupancy: { value: null, reason: 'presence_cannot_count' },
      });
    });

    it('restarts counters at midnight and at every close, takes a count as the level, and counts from opening', async () => {
      const tuesday = await peaksOf('period=day&date=2026-03-03');
      expect(resource(tuesday, 'lounge').peakOccupancy).toEqual({ value: 2, at: '2026-03-03T07:30:00.000Z' });
      expect(kind(tuesday, 'desk').peakOccupancy).toEqual({ value: 1, at: '2026-03-03T09:00:00.000Z' });
      const wednesday = await peaksOf('period=day&date=2026-03-04');
      expect(resource(wednesday, 'lounge').peakOccupancy).toEqual({
        value: 1,
        at: '2026-03-04T10:00:00.000Z',
      });
      const thursday = await peaksOf('period=day&date=2026-03-05');
      expect(resource(thursday, 'lounge').peakOccupancy).toEqual({
        value: 3,
        at: '2026-03-05T07:00:00.000Z',
      });
    });

    it('reads 0 for a quiet day of a counted room or a single seat, and closed on a closed day', async () => {
      const friday = await peaksOf('period=day&date=2026-03-06');
      expect(resource(friday, 'lounge').peakOccupancy).toEqual({ value: 0 });
      expect(resource(friday, 'cell').peakOccupancy).toEqual({ value: 0 });
      expect(resource(friday, 'studio').peakOccupancy).toEqual({
        value: null,
        reason: 'presence_cannot_count',
      });
      expect(kind(friday, 'meeting_room').peakOccupancy).toEqual({ value: 0 });
      const saturday = await peaksOf('period=day&date=2026-03-07');
      expect(resource(saturday, 'lounge').peakOccupancy).toEqual({ value: null, reason: 'closed' });
      expect(kind(saturday, 'desk').peakOccupancy).toEqual({ value: null, reason: 'closed' });
    });

    it('takes the largest day of a week and a month, first reached first', async () => {
      for (const query of ['period=week&date=2026-03-04', 'period=month&date=2026-03-15']) {
        const k = await peaksOf(query);
        expect(resource(k, 'lounge').peakOccupancy).toEqual({ value: 4, at: '2026-03-02T10:30:00.000Z' });
        expect(kind(k, 'meeting_room').peakOccupancy).toEqual({ value: 5, at: '2026-03-02T10:30:00.000Z' });
        // desk-a reached 1 on Monday and again on Tuesday: the first one counts
        expect(resource(k, 'desk-a').peakOccupancy).toEqual({ value: 1, at: '2026-03-02T08:00:00.000Z' });
        expect(kind(k, 'desk').peakOccupancy).toEqual({ value: 2, at: '2026-03-02T08:15:00.000Z' });
      }
    });
  });
});
