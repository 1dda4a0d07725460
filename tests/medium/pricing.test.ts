import request from 'supertest';
import { EmbeddedDatabase } from '@cw/database';
import { FlatBookingPricer } from '@cw/booking';
import { PricingService } from '@cw/pricing';
import { SiteDocumentInput } from '@cw/sites';
import { BorrowedDatabase } from '../support/borrowed-database';
import { openSeededDatabase } from '../support/seeded-database';
import { ADMIN_TOKEN, startPlatform, TestPlatform } from '../support/test-app';
import { siteDocument, uniqueId } from '../support/factories';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const NOW = new Date('2026-11-21T12:00:00Z'); // a Saturday; the quotes below are for Monday 23 November
const HOUR = 3_600_000;

/** The test site with both meeting rooms at 20.00 EUR an hour. */
function pricedSite(): SiteDocumentInput {
  const doc = siteDocument();
  return {
    ...doc,
    floors: doc.floors!.map((f) => ({
      ...f,
      resources: f.resources!.map((r) => (r.kind === 'meeting_room' ? { ...r, basePriceMinor: 2000 } : r)),
    })),
  };
}

/**
 * Quotes on the embedded TimescaleDB, with the demand forecast read from the KPI continuous aggregates. Four weeks of
 * Mondays are written as 15-minute slices: both rooms full 10:00-11:00 Madrid time, three quarters used 11:00-12:00,
 * empty (but open) 14:00-15:00. Forecast utilisation is then 1, 0.75 and 0 for those hours of the week.
 */
describe('dynamic pricing quotes', () => {
  let db: EmbeddedDatabase;
  let platform: TestPlatform;
  let site: string;
  const api = () => request(platform.url);

  beforeAll(async () => {
    db = await openSeededDatabase();
    platform = await startPlatform(new BorrowedDatabase(db), { CLOCK_CONTROL: 'on' });
    const set = await api().put('/v1/clock').set(auth).send({ now: NOW.toISOString(), speed: 1 });
    expect(set.status).toBe(200);
  });

  afterAll(async () => {
    await platform?.close();
    await db.close();
  });

  beforeEach(async () => {
    site = uniqueId('pr').replace(/[^a-zA-Z0-9_-]/g, '');
    await platform.putSite(site, pricedSite());
    const rule = await api().put(`/v1/sites/${site}/pricing-rules/meeting_room`).set(auth).send({
      targetUtilisation: 0.5,
      sensitivity: 1,
      minMultiplier: 0.5,
      maxMultiplier: 2,
      floorPerHourMinor: 1200,
      ceilingPerHourMinor: 3000,
      forecastWeeks: 4,
      quoteTtlMinutes: 10,
    });
    expect(rule.status).toBe(201);
    await writeHistory(site);
  });

  /** Mondays 26 Oct .. 16 Nov 2026 (CET, UTC+1): 10:00 local = 09:00 UTC. */
  async function writeHistory(siteId: string): Promise<void> {
    const rows: unknown[][] = [];
    for (const monday of ['2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16']) {
      for (const room of ['room-1', 'room-2']) {
        for (let q = 0; q < 4; q++) {
          const at = (utcHour: number) =>
            new Date(Date.parse(`${monday}T00:00:00Z`) + utcHour * HOUR + q * 900_000);
          // hour of week 10: full; 11: three of four quarters; 14: open, nobody in
          rows.push([at(9), siteId, room, monday, 10, 900]);
          rows.push([at(10), siteId, room, monday, 11, q < 3 ? 900 : 0]);
          rows.push([at(13), siteId, room, monday, 14, 0]);
        }
      }
    }
    for (const [ts, s, room, localDate, how, occupied] of rows) {
      await db.query(
        `INSERT INTO kpi_resource_slices (ts, site_id, resource_id, resource_kind, local_date, local_how, occupied_s)
         VALUES ($1, $2, $3, 'meeting_room', $4, $5, $6)`,
        [(ts as Date).toISOString(), s, room, localDate, how, occupied],
      );
    }
    await db.query('SELECT cw_enable_tsl()');
    for (const view of ['kpi_occupancy_15m', 'kpi_bookings_hourly', 'kpi_kind_hourly'])
      await db.query(`CALL refresh_continuous_aggregate('${view}', NULL, NULL)`);
  }

  const quote = (body: Record<string, unknown>) =>
    api().post(`/v1/sites/${site}/quotes`).set(auth).send(body);

  it('prices each hour by its forecast demand, inside the floor and ceiling, with the breakdown', async () => {
    // 10:00-12:00 Madrid on Monday 23 Nov. Hour 10: u=1 -> 2000 x 1.5 = 3000 (the ceiling). Hour 11: u=0.75 ->
    // 2000 x 1.25 = 2500. Total 5500.
    const res = await quote({
      resource: 'room-1',
      start: '2026-11-23T09:00:00Z',
      end: '2026-11-23T11:00:00Z',
    });
    expect(res.status).toBe(201);
    expect(res.body.priceMinor).toBe(5500);
    expect(res.body.currency).toBe('EUR');
    expect(res.body.breakdown.forecastAvailable).toBe(true);
    expect(
      (
        res.body.breakdown.hours as {
          hourOfWeek: number;
          forecastUtilisation: number;
          listPerHourMinor: number;
        }[]
      ).map((h) => [h.hourOfWeek, h.forecastUtilisation, h.listPerHourMinor]),
    ).toEqual([
      [10, 1, 3000],
      [11, 0.75, 2500],
    ]);
    // the clock runs on from NOW at real speed, so the quote was made a few seconds after it
    const madeAt = new Date(res.body.expiresAt as string).getTime() - 10 * 60_000;
    expect(madeAt).toBeGreaterThanOrEqual(NOW.getTime());
    expect(madeAt).toBeLessThan(NOW.getTime() + 60_000);

    // 14:00-15:00: u=0 -> 2000 x 0.5 = 1000, held up by the 1200 floor.
    const quiet = await quote({
      resource: 'room-1',
      start: '2026-11-23T13:00:00Z',
      end: '2026-11-23T14:00:00Z',
    });
    expect(quiet.body.priceMinor).toBe(1200);
  });

  it('charges more for a busier hour than a quieter one of the same length', async () => {
    const busy = await quote({
      resource: 'room-2',
      start: '2026-11-23T09:00:00Z',
      end: '2026-11-23T10:00:00Z',
    });
    const quieter = await quote({
      resource: 'room-2',
      start: '2026-11-23T10:00:00Z',
      end: '2026-11-23T11:00:00Z',
    });
    const empty = await quote({
      resource: 'room-2',
      start: '2026-11-23T13:00:00Z',
      end: '2026-11-23T14:00:00Z',
    });
    expect([busy.body.priceMinor, quieter.body.priceMinor, empty.body.priceMinor]).toEqual([
      3000, 2500, 1200,
    ]);
  });

  it('takes the plan discount of the member off the list rate', async () => {
    await db.exec(
      `INSERT INTO members (site_id, id, name) VALUES ($1, 'm1', 'Member One');
       INSERT INTO plans (site_id, id, name, kind, price_minor, period, booking_discount_pct)
         VALUES ($1, 'flex', 'Flex', 'flex_desk', 15000, 'month', 20);
       UPDATE plans SET bookable_kinds = '{meeting_room}' WHERE site_id = $1 AND id = 'flex';
       INSERT INTO contracts (site_id, id, member_id, plan_id, price_minor, start_date)
         VALUES ($1, 'c1', 'm1', 'flex', 15000, '2026-11-01')`.replace(/\$1/g, `'${site}'`),
    );
    const res = await quote({
      resource: 'room-1',
      start: '2026-11-23T09:00:00Z',
      end: '2026-11-23T11:00:00Z',
      member: 'm1',
    });
    // 3000 and 2500 an hour, 20% off: 2400 + 2000
    expect(res.body.priceMinor).toBe(4400);
    expect(res.body.breakdown.discountPct).toBe(20);
    expect(res.body.member).toBe('m1');
    // The flat pricer (bookings without dynamic pricing) reads the same plan: 2 hours at the base rate, 20% off.
    const flat = await new FlatBookingPricer(platform.db).quote({
      siteId: site,
      resourceId: 'room-1',
      start: new Date('2026-11-23T09:00:00Z'),
      end: new Date('2026-11-23T11:00:00Z'),
      memberId: 'm1',
    });
    expect(flat.breakdown).toMatchObject({ planId: 'flex', discountPct: 20, minutes: 120 });
    expect(flat.priceMinor).toBe(Math.round((flat.breakdown.baseMinor as number) * 0.8));
    const before = await new FlatBookingPricer(platform.db).quote({
      siteId: site,
      resourceId: 'room-1',
      start: new Date('2026-10-31T09:00:00Z'),
      end: new Date('2026-10-31T11:00:00Z'),
      memberId: 'm1',
    });
    expect(before.breakdown).toMatchObject({ planId: null, discountPct: 0 }); // the contract starts 1 November
  });

  it('charges a booking its quote, and the booking keeps that price when pricing changes', async () => {
    await db.exec(
      `INSERT INTO members (site_id, id, name) VALUES ($1, 'm2', 'Member Two');
       INSERT INTO plans (site_id, id, name, kind, price_minor, period, bookable_kinds)
         VALUES ($1, 'flex2', 'Flex', 'flex_desk', 15000, 'month', '{meeting_room}');
       INSERT INTO contracts (site_id, id, member_id, plan_id, price_minor, start_date)
         VALUES ($1, 'c2', 'm2', 'flex2', 15000, '2026-11-01')`.replace(/\$1/g, `'${site}'`),
    );
    const slot = { start: '2026-11-23T09:00:00Z', end: '2026-11-23T10:00:00Z' };
    const quoted = await quote({ resource: 'room-1', member: 'm2', ...slot });
    expect(quoted.body.priceMinor).toBe(3000);
    const booked = await api()
      .post('/v1/bookings')
      .set(auth)
      .send({ site, id: 'paid-1', resource: 'room-1', member: 'm2', quote: quoted.body.id, ...slot });
    expect(booked.status).toBe(201);
    expect(booked.body.payment.priceMinor).toBe(3000);
    expect(booked.body.payment.breakdown.quoteId).toBe(quoted.body.id);

    // Demand no longer moves prices: today's price for the same hour is the base, the booking still costs 3000.
    await api().put(`/v1/sites/${site}/pricing-rules/meeting_room`).set(auth).send({ sensitivity: 0 });
    const today = await quote({ resource: 'room-2', member: 'm2', ...slot });
    expect(today.body.priceMinor).toBe(2000);
    const { rows } = await db.query<{ price_minor: number }>(
      'SELECT price_minor FROM booking_charges WHERE site_id = $1 AND booking_id = $2',
      [site, 'paid-1'],
    );
    expect(rows).toEqual([{ price_minor: 3000 }]);

    // A quote used once cannot buy a second booking; an expired one buys nothing, and nothing is written.
    const reused = await api().post('/v1/bookings').set(auth).send({
      site,
      id: 'paid-2',
      resource: 'room-1',
      member: 'm2',
      quote: quoted.body.id,
      start: slot.end,
      end: '2026-11-23T11:00:00Z',
    });
    expect(reused.status).toBe(409);
    const late = await quote({ resource: 'room-2', member: 'm2', ...slot });
    await api()
      .put('/v1/clock')
      .set(auth)
      .send({ now: new Date(NOW.getTime() + 16 * 60_000).toISOString(), speed: 1 });
    try {
      const expired = await api()
        .post('/v1/bookings')
        .set(auth)
        .send({ site, id: 'paid-3', resource: 'room-2', member: 'm2', quote: late.body.id, ...slot });
      expect(expired.status).toBe(409);
      expect(expired.body.message).toMatch(/expired/);
    } finally {
      await api().put('/v1/clock').set(auth).send({ now: NOW.toISOString(), speed: 1 });
    }
    const { rows: written } = await db.query<{ id: string }>(
      `SELECT id FROM bookings WHERE site_id = $1 ORDER BY id`,
      [site],
    );
    expect(written.map((r) => r.id)).toEqual(['paid-1']);
  });

  it('prices at the base where the aggregates hold no history', async () => {
    const res = await quote({
      resource: 'room-1',
      start: '2026-11-24T09:00:00Z',
      end: '2026-11-24T10:00:00Z',
    });
    expect(res.body.priceMinor).toBe(2000);
    expect(res.body.breakdown.hours[0].forecastUtilisation).toBeNull();
  });

  it('honours a quote once, only for its own slot, and not after it expires', async () => {
    const res = await quote({
      resource: 'room-1',
      start: '2026-11-23T09:00:00Z',
      end: '2026-11-23T10:00:00Z',
    });
    const pricing = platform.app.get(PricingService);
    const request = {
      siteId: site,
      resourceId: 'room-1',
      start: new Date('2026-11-23T09:00:00Z'),
      end: new Date('2026-11-23T10:00:00Z'),
      memberId: null,
    };
    const honoured = await db.transaction((tx) =>
      pricing.honourQuote({ ...request, quoteId: res.body.id, bookingId: 'b1' }, tx),
    );
    expect(honoured.priceMinor).toBe(3000);
    // the same booking may ask again (a retried request); another booking may not
    await db.transaction((tx) =>
      pricing.honourQuote({ ...request, quoteId: res.body.id, bookingId: 'b1' }, tx),
    );
    await expect(
      db.transaction((tx) => pricing.honourQuote({ ...request, quoteId: res.body.id, bookingId: 'b2' }, tx)),
    ).rejects.toThrow(/already used by booking b1/);
    await expect(
      db.transaction((tx) =>
        pricing.honourQuote(
          { ...request, end: new Date(request.end.getTime() + HOUR), quoteId: res.body.id, bookingId: 'b1' },
          tx,
        ),
      ),
    ).rejects.toThrow(/another resource, slot or member/);

    const fresh = await quote({
      resource: 'room-2',
      start: '2026-11-23T09:00:00Z',
      end: '2026-11-23T10:00:00Z',
    });
    await api()
      .put('/v1/clock')
      .set(auth)
      .send({ now: new Date(NOW.getTime() + 11 * 60_000).toISOString(), speed: 1 });
    try {
      await expect(
        db.transaction((tx) =>
          pricing.honourQuote(
            { ...request, resourceId: 'room-2', quoteId: fresh.body.id, bookingId: 'b3' },
            tx,
          ),
        ),
      ).rejects.toThrow(/expired/);
    } finally {
      await api().put('/v1/clock').set(auth).send({ now: NOW.toISOString(), speed: 1 });
    }
  });

  it('refuses bad requests with clear reasons', async () => {
    const bad = await quote({ resource: 'room-1', start: 'tomorrow', end: '2026-11-23T10:00:00Z', extra: 1 });
    expect(bad.status).toBe(400);
    const paths = (bad.body.errors as { path: string }[]).map((e) => e.path);
    expect(paths.sort()).toEqual(['extra', 'start']);

    const backwards = await quote({
      resource: 'room-1',
      start: '2026-11-23T10:00:00Z',
      end: '2026-11-23T09:00:00Z',
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors[0].path).toBe('end');

    const past = await quote({
      resource: 'room-1',
      start: '2026-11-20T10:00:00Z',
      end: '2026-11-20T11:00:00Z',
    });
    expect(past.status).toBe(400);
    expect(past.body.errors[0].path).toBe('start');

    const unknown = await quote({
      resource: 'nope',
      start: '2026-11-23T09:00:00Z',
      end: '2026-11-23T10:00:00Z',
    });
    expect(unknown.status).toBe(404);

    const rule = await api()
      .put(`/v1/sites/${site}/pricing-rules/meeting_room`)
      .set(auth)
      .send({ floorPerHourMinor: 5000, ceilingPerHourMinor: 1000, minMultiplier: 2, maxMultiplier: 1 });
    expect(rule.status).toBe(400);
    expect((rule.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
      'ceilingPerHourMinor',
      'maxMultiplier',
    ]);
    expect((await api().get(`/v1/sites/${site}/pricing-rules/sofa`).set(auth)).status).toBe(400);
  });
});
