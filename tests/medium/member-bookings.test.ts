import request from 'supertest';
import { EmbeddedDatabase } from '@cw/database';
import { BorrowedDatabase } from '../support/borrowed-database';
import {
  count,
  insertMember,
  insertPlan,
  localSlot,
  memberKey,
  pricedSite,
} from '../support/credits-fixtures';
import { uniqueId } from '../support/factories';
import { openSeededDatabase } from '../support/seeded-database';
import { ADMIN_TOKEN, startPlatform, TestPlatform } from '../support/test-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/**
 * Member and guest bookings through POST /v1/bookings: booking rules, price, payment in the booking's transaction
 * (credits, vouchers, hour packs, invoice) and refunds on cancellation. room-1 costs 2000 an hour.
 */
describe('member bookings', () => {
  let db: EmbeddedDatabase;
  let platform: TestPlatform;
  let site: string;
  const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  const api = () => request(platform.url);

  beforeAll(async () => {
    db = await openSeededDatabase();
    platform = await startPlatform(new BorrowedDatabase(db));
  });

  afterAll(async () => {
    await platform?.close();
    await db?.close();
  });

  beforeEach(async () => {
    site = uniqueId('mb').replace(/[^a-zA-Z0-9_-]/g, '');
    await platform.putSite(site, pricedSite());
    await insertPlan(platform.db, site, {
      id: 'flex',
      includedCreditsMinor: 3000,
      bookableKinds: ['meeting_room'],
    });
    await insertPlan(platform.db, site, { id: 'nothing', bookableKinds: [] });
    await insertPlan(platform.db, site, {
      id: 'hours10',
      name: '10 hours',
      kind: 'hour_pack',
      period: 'once',
      priceMinor: 15000,
      passMinutes: 600,
      passValidDays: 90,
      bookableKinds: ['meeting_room'],
    });
    await insertMember(platform.db, site, 'm1', { planId: 'flex' });
    await insertMember(platform.db, site, 'm2', { planId: 'flex' });
    await insertMember(platform.db, site, 'm3', { planId: 'nothing' });
  });

  const book = (body: Record<string, unknown>, headers: Record<string, string> = auth) =>
    api()
      .post('/v1/bookings')
      .set(headers)
      .send({ site, ...body });
  const giveVoucher = async (code: string, value: number, memberId: string, expiresAt = inDays(30)) => {
    await api().post(`/v1/sites/${site}/vouchers`).set(auth).send({ kind: 'money', value, expiresAt, code });
    const redeemed = await api()
      .post(`/v1/sites/${site}/vouchers/${code}/redeem`)
      .set(auth)
      .send({ member: memberId });
    expect(redeemed.status).toBe(200);
  };
  const voucher = async (code: string) =>
    (await api().get(`/v1/sites/${site}/vouchers/${code}`).set(auth)).body as {
      balance: number;
      spends: { booking: string; amount: number }[];
    };
  const credits = async (memberId: string, start: string) =>
    (
      await api()
        .get(`/v1/sites/${site}/members/${memberId}/credits?period=${start.slice(0, 7)}`)
        .set(auth)
    ).body as {
      balanceMinor: number;
      entries: { entry: string; amountMinor: number; booking: string | null }[];
    };
  const written = async () => ({
    bookings: await count(platform.db, 'SELECT count(*) AS n FROM bookings WHERE site_id = $1', [site]),
    charges: await count(platform.db, 'SELECT count(*) AS n FROM booking_charges WHERE site_id = $1', [site]),
    spends: await count(
      platform.db,
      `SELECT count(*) AS n FROM credit_ledger WHERE site_id = $1 AND entry <> 'grant'`,
      [site],
    ),
    voucherSpends: await count(platform.db, 'SELECT count(*) AS n FROM voucher_spends WHERE site_id = $1', [
      site,
    ]),
  });

  it('pays plan credits first, then vouchers earliest expiry first, then charges the rest, to the cent', async () => {
    await giveVoucher('LATE-1000', 1000, 'm1', inDays(60));
    await giveVoucher('SOON-500', 500, 'm1', inDays(20));
    // 3 hours of room-1: 6000. Credits 3000, SOON-500 500, LATE-1000 1000, invoice 1500.
    const slot = localSlot(2, '10:00', '13:00');
    const made = await book({ id: 'pay-1', resource: 'room-1', member: 'm1', ...slot });
    expect(made.status).toBe(201);
    expect(made.body.payment).toMatchObject({
      currency: 'EUR',
      priceMinor: 6000,
      creditsMinor: 3000,
      voucherMinor: 1500,
      passMinutes: 0,
      chargeMinor: 1500,
      refunded: false,
    });
    // Whichever pricer is bound, the charge keeps the breakdown it was quoted with.
    const { rows: quoted } = await platform.db.query<{ price_breakdown: unknown }>(
      'SELECT price_breakdown FROM booking_charges WHERE site_id = $1 AND booking_id = $2',
      [site, 'pay-1'],
    );
    expect(quoted[0].price_breakdown).toEqual(made.body.payment.breakdown);
    expect(Object.keys(made.body.payment.breakdown as object).length).toBeGreaterThan(0);
    expect((await voucher('SOON-500')).balance).toBe(0);
    expect((await voucher('LATE-1000')).balance).toBe(0);
    expect((await voucher('LATE-1000')).spends).toEqual([
      expect.objectContaining({ booking: 'pay-1', amount: 1000 }),
    ]);
    const ledger = await credits('m1', slot.start);
    expect(ledger.balanceMinor).toBe(0);
    expect(ledger.entries.filter((e) => e.entry === 'spend')).toEqual([
      expect.objectContaining({ amountMinor: -3000, booking: 'pay-1' }),
    ]);
    const { rows } = await platform.db.query<{ charge_minor: number; member_id: string }>(
      'SELECT charge_minor, member_id FROM booking_charges WHERE site_id = $1 AND booking_id = $2',
      [site, 'pay-1'],
    );
    expect(rows).toEqual([{ charge_minor: 1500, member_id: 'm1' }]);

    // Nothing left to spend: the next booking goes on the invoice whole.
    const next = await book({
      id: 'pay-2',
      resource: 'room-1',
      member: 'm1',
      ...localSlot(2, '14:00', '15:00'),
    });
    expect(next.body.payment).toMatchObject({
      priceMinor: 2000,
      creditsMinor: 0,
      voucherMinor: 0,
      chargeMinor: 2000,
    });
  });

  it('spends hour pack minutes for the kinds the pack covers', async () => {
    const sold = await api().post(`/v1/sites/${site}/members/m3/passes`).set(auth).send({ plan: 'hours10' });
    expect(sold.status).toBe(201);
    // m3's plan allows no booking, the pack allows meeting rooms; 90 minutes of room-2 (1200/h) = 1800
    const made = await book({
      id: 'pack-1',
      resource: 'room-2',
      member: 'm3',
      ...localSlot(3, '09:00', '10:30'),
    });
    expect(made.status).toBe(201);
    expect(made.body.payment).toMatchObject({
      priceMinor: 1800,
      creditsMinor: 0,
      passMinutes: 90,
      chargeMinor: 0,
    });
    expect((await voucher(sold.body.code as string)).balance).toBe(510);
    const desk = await book({
      id: 'pack-2',
      resource: 'desk-1',
      member: 'm3',
      ...localSlot(3, '09:00', '10:00'),
    });
    expect(desk.status).toBe(403);
    expect(desk.body.message).toMatch(/no plan or pass that allows booking a desk/);
  });

  it('gives exactly one of two concurrent bookings of a slot, and the loser spends nothing', async () => {
    await giveVoucher('M2-GIFT', 5000, 'm2');
    const slot = localSlot(4, '11:00', '12:00');
    const results = await Promise.all([
      book({ id: 'race-a', resource: 'room-1', member: 'm1', ...slot }),
      book({ id: 'race-b', resource: 'room-1', member: 'm2', ...slot }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const winner = results.find((r) => r.status === 201)!.body as { id: string; member: string };
    const loser = winner.member === 'm1' ? 'm2' : 'm1';
    expect((await credits(loser, slot.start)).balanceMinor).toBe(3000);
    expect((await credits(winner.member, slot.start)).balanceMinor).toBe(1000);
    expect((await voucher('M2-GIFT')).balance).toBe(5000);
    expect(
      await count(platform.db, 'SELECT count(*) AS n FROM booking_charges WHERE site_id = $1', [site]),
    ).toBe(1);
    const { rows } = await platform.db.query<{ booking_id: string }>(
      `SELECT booking_id FROM credit_ledger WHERE site_id = $1 AND entry = 'spend'`,
      [site],
    );
    expect(rows).toEqual([{ booking_id: winner.id }]);
  });

  it('never spends an expired voucher', async () => {
    await giveVoucher('FADING', 5000, 'm3', new Date(Date.now() + 1500).toISOString());
    await sleep(1600);
    await platform.db.query(
      `UPDATE plans SET bookable_kinds = '{meeting_room}' WHERE site_id = $1 AND id = 'nothing'`,
      [site],
    );
    const made = await book({
      id: 'expired-1',
      resource: 'room-1',
      member: 'm3',
      ...localSlot(2, '09:00', '10:00'),
    });
    expect(made.status).toBe(201);
    expect(made.body.payment).toMatchObject({ voucherMinor: 0, chargeMinor: 2000 });
    expect((await voucher('FADING')).balance).toBe(5000);
  });

  it('refunds credits, voucher balance and pass minutes when cancelled in time, and nothing when late', async () => {
    await giveVoucher('BACK-AGAIN', 2000, 'm1');
    const slot = localSlot(2, '09:00', '11:00'); // 4000: credits 3000, voucher 1000
    await book({ id: 'cancel-1', resource: 'room-1', member: 'm1', ...slot });
    const cancelled = await api().delete(`/v1/bookings/cancel-1?site=${site}`).set(auth);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.payment).toMatchObject({ creditsMinor: 3000, voucherMinor: 1000, refunded: true });
    expect((await credits('m1', slot.start)).balanceMinor).toBe(3000);
    const back = await voucher('BACK-AGAIN');
    expect(back.balance).toBe(2000);
    expect(back.spends.map((s) => s.amount)).toEqual([1000, -1000]);
    expect((await credits('m1', slot.start)).entries.map((e) => [e.entry, e.amountMinor])).toEqual([
      ['grant', 3000],
      ['spend', -3000],
      ['refund', 3000],
    ]);
    // A second cancel changes nothing and refunds nothing again.
    expect((await api().delete(`/v1/bookings/cancel-1?site=${site}`).set(auth)).status).toBe(200);
    expect((await voucher('BACK-AGAIN')).balance).toBe(2000);

    // Free cancellation ends a week before the start: this one is late, everything stays spent.
    await api()
      .put(`/v1/sites/${site}/booking-rules/meeting_room`)
      .set(auth)
      .send({ who: 'members', freeCancelMinutes: 7 * 24 * 60 });
    await book({ id: 'cancel-2', resource: 'room-1', member: 'm1', ...slot });
    const late = await api().delete(`/v1/bookings/cancel-2?site=${site}`).set(auth);
    expect(late.body.payment).toMatchObject({
      creditsMinor: 3000,
      voucherMinor: 1000,
      chargeMinor: 0,
      refunded: false,
    });
    expect((await credits('m1', slot.start)).balanceMinor).toBe(0);
    expect((await voucher('BACK-AGAIN')).balance).toBe(1000);
  });

  it('refuses bookings the rules forbid, with the reason and nothing written', async () => {
    await api()
      .put(`/v1/sites/${site}`)
      .set(auth)
      .send(
        pricedSite({
          openingHours: [
            { day: 'mon', open: '08:00', close: '20:00' },
            { day: 'tue', open: '08:00', close: '20:00' },
            { day: 'wed', open: '08:00', close: '20:00' },
            { day: 'thu', open: '08:00', close: '20:00' },
            { day: 'fri', open: '08:00', close: '20:00' },
            { day: 'sat', open: '08:00', close: '20:00' },
            { day: 'sun', open: '08:00', close: '20:00' },
          ],
        }),
      );
    await giveVoucher('UNTOUCHED', 1000, 'm1');
    const before = await written();

    const night = await book({
      id: 'no-1',
      resource: 'room-1',
      member: 'm1',
      ...localSlot(2, '19:00', '21:00'),
    });
    expect(night.status).toBe(400);
    expect(night.body.message).toMatch(/outside the site's opening hours \(Europe\/Madrid\)/);

    const tooLong = await book({
      id: 'no-2',
      resource: 'room-1',
      member: 'm1',
      ...localSlot(2, '08:00', '17:00'),
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors).toEqual([{ path: 'end', message: 'at most 480 minutes after start' }]);

    const desk = await book({
      id: 'no-3',
      resource: 'desk-1',
      member: 'm1',
      ...localSlot(2, '09:00', '10:00'),
    });
    expect(desk.status).toBe(403);

    await api()
      .put(`/v1/sites/${site}/booking-rules/*`)
      .set(auth)
      .send({ minLeadMinutes: 3 * 24 * 60, maxAdvanceDays: 10 });
    const rules = await api().get(`/v1/sites/${site}/booking-rules/meeting_room`).set(auth);
    expect(rules.body).toMatchObject({
      source: 'site',
      minLeadMinutes: 4320,
      maxAdvanceDays: 10,
      freeCancelMinutes: 60,
    });
    const soon = await book({
      id: 'no-4',
      resource: 'room-1',
      member: 'm1',
      ...localSlot(1, '09:00', '10:00'),
    });
    expect(soon.status).toBe(400);
    expect(soon.body.message).toMatch(/at least 4320 minutes ahead/);
    const far = await book({
      id: 'no-5',
      resource: 'room-1',
      member: 'm1',
      ...localSlot(20, '09:00', '10:00'),
    });
    expect(far.status).toBe(400);
    expect(far.body.message).toMatch(/at most 10 days ahead/);

    expect(await written()).toEqual(before);
    expect((await voucher('UNTOUCHED')).balance).toBe(1000);
    expect((await api().put(`/v1/sites/${site}/booking-rules/spaceship`).set(auth).send({})).status).toBe(
      400,
    );
  });

  it('books guests where anyone may book, charging the whole price', async () => {
    const refused = await book({
      id: 'g-1',
      resource: 'room-2',
      guest: { name: 'Ada' },
      ...localSlot(2, '09:00', '10:00'),
    });
    expect(refused.status).toBe(403);
    await api().put(`/v1/sites/${site}/booking-rules/meeting_room`).set(auth).send({ who: 'anyone' });
    const made = await book({
      id: 'g-2',
      resource: 'room-2',
      guest: { name: 'Ada', email: 'ada@example.com' },
      ...localSlot(2, '09:00', '10:00'),
    });
    expect(made.status).toBe(201);
    expect(made.body.payment).toMatchObject({
      priceMinor: 1200,
      chargeMinor: 1200,
      guest: { name: 'Ada', email: 'ada@example.com' },
    });
    const both = await book({
      resource: 'room-2',
      member: 'm1',
      guest: { name: 'Ada' },
      ...localSlot(2, '11:00', '12:00'),
    });
    expect(both.status).toBe(400);
  });

  it('keeps member keys to their own bookings and credits', async () => {
    const key = { Authorization: `Bearer ${await memberKey(platform, site, 'm1')}` };
    const own = await book({ id: 'mine-1', resource: 'room-1', ...localSlot(2, '09:00', '10:00') }, key);
    expect(own.status).toBe(201);
    expect(own.body.member).toBe('m1');
    expect(own.body.payment.creditsMinor).toBe(2000);
    const forOther = await book({ resource: 'room-1', member: 'm2', ...localSlot(2, '10:00', '11:00') }, key);
    expect(forOther.status).toBe(403);
    await book({ id: 'theirs-1', resource: 'room-2', member: 'm2', ...localSlot(2, '09:00', '10:00') });

    const range = `site=${site}&from=${inDays(-1)}&to=${inDays(10)}`;
    const listed = await api().get(`/v1/bookings?${range}`).set(key);
    expect(listed.status).toBe(200);
    expect((listed.body as { id: string }[]).map((b) => b.id)).toEqual(['mine-1']);
    expect((await api().get(`/v1/bookings?${range}`).set(auth)).body).toHaveLength(2);
    expect((await api().get(`/v1/bookings/theirs-1?site=${site}`).set(key)).status).toBe(404);
    expect((await api().delete(`/v1/bookings/theirs-1?site=${site}`).set(key)).status).toBe(404);
    expect(
      (await api().patch(`/v1/bookings/mine-1?site=${site}`).set(key).send({ resource: 'room-2' })).status,
    ).toBe(403);
    expect((await api().get(`/v1/sites/${site}/members/m2/credits`).set(key)).status).toBe(403);
    const cancelled = await api().delete(`/v1/bookings/mine-1?site=${site}`).set(key);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.payment.refunded).toBe(true);
    expect((await api().get(`/v1/bookings/theirs-1?site=${site}`).set(auth)).body.status).toBe('confirmed');
  });

  it('leaves bookings for people who are not members of the site as they were: no rules, no price', async () => {
    const integration = { Authorization: `Bearer ${await platform.createKey('integration', site)}` };
    // Longer than any member booking may be (480 minutes by default).
    const start = new Date(Date.now() + 3_600_000);
    const made = await book(
      {
        id: 'legacy-1',
        resource: 'room-1',
        member: 'someone-external',
        start: start.toISOString(),
        end: new Date(start.getTime() + 10 * 3_600_000).toISOString(),
      },
      integration,
    );
    expect(made.status).toBe(201);
    expect(made.body.payment).toBeUndefined();
    expect(
      await count(platform.db, 'SELECT count(*) AS n FROM booking_charges WHERE site_id = $1', [site]),
    ).toBe(0);
    const moved = await api()
      .patch(`/v1/bookings/legacy-1?site=${site}`)
      .set(integration)
      .send({ resource: 'room-2' });
    expect(moved.status).toBe(200);
  });

  it('refuses to move a paid booking: it keeps the slot it was paid for', async () => {
    await book({ id: 'fixed-1', resource: 'room-1', member: 'm1', ...localSlot(2, '09:00', '10:00') });
    const moved = await api()
      .patch(`/v1/bookings/fixed-1?site=${site}`)
      .set(auth)
      .send({ resource: 'room-2' });
    expect(moved.status).toBe(409);
    expect(moved.body.message).toMatch(/cancel it and book again/);
  });
});
