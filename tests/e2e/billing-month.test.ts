import request from 'supertest';
import { InvoiceView } from '@cw/billing';
import { Clock, ControllableClock } from '@cw/common';
import { EmbeddedDatabase } from '@cw/database';
import { ClockModule } from '@cw/runtime';
import { BorrowedDatabase } from '../support/borrowed-database';
import { memberKey, pricedSite } from '../support/credits-fixtures';
import { openSeededDatabase } from '../support/seeded-database';
import { ADMIN_TOKEN, startPlatform, TestPlatform } from '../support/test-app';

const SITE = 'month-e2e';
const TZ_OFFSET_WINTER = '+01:00';
const TZ_OFFSET_SUMMER = '+02:00';

interface Payment {
  priceMinor: number;
  creditsMinor: number;
  voucherMinor: number;
  passMinutes: number;
  chargeMinor: number;
}

/**
 * March 2027 at a Madrid site, driven through the public API on a controllable clock: sign-ups, a plan change, a
 * company paying for its members, passes sold, bookings by members paid with plan credits, a voucher and charges,
 * a refunded cancellation; then the month's billing run. Every invoice is reconciled to the cent against what the
 * test computes on its own: days of each contract in the month, the charges the booking API reported, the pass
 * prices, and 21% tax rounded half up per line.
 */
describe('a month of billing, end to end', () => {
  let db: EmbeddedDatabase;
  let platform: TestPlatform;
  let clock: ControllableClock;
  const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  const api = () => request(platform.url);
  const at = (iso: string) => clock.set(new Date(iso), 1);

  beforeAll(async () => {
    db = await openSeededDatabase();
    platform = await startPlatform(new BorrowedDatabase(db), { CLOCK_CONTROL: 'on' });
    clock = platform.app.select(ClockModule).get<Clock, ControllableClock>(Clock, { strict: true });
  });

  afterAll(async () => {
    await platform?.close();
    await db?.close();
  });

  const ok = async (req: request.Test, status = [200, 201]) => {
    const response = await req;
    if (!status.includes(response.status))
      throw new Error(`${response.status}: ${JSON.stringify(response.body)}`);
    return response.body as Record<string, unknown>;
  };
  const put = (path: string, body: object) => ok(api().put(`/v1/sites/${SITE}${path}`).set(auth).send(body));
  const post = (path: string, body: object) =>
    ok(api().post(`/v1/sites/${SITE}${path}`).set(auth).send(body));

  it('issues invoices that reconcile to the cent', async () => {
    at('2027-02-15T09:00:00Z');
    await platform.putSite(SITE, pricedSite({ name: 'Month' }));
    await put('/plans/flex', {
      name: 'Flex desk',
      kind: 'flex_desk',
      priceMinor: 15000,
      includedCreditsMinor: 3000,
      bookableKinds: ['meeting_room'],
    });
    await put('/plans/office', {
      name: 'Private office',
      kind: 'private_office',
      priceMinor: 60000,
      includedCreditsMinor: 4000,
      bookableKinds: ['meeting_room'],
    });
    await put('/plans/day', {
      name: 'Day',
      kind: 'day_pass',
      priceMinor: 2500,
      passDays: 1,
      passValidDays: 30,
    });
    await put('/plans/hours', {
      name: 'Five hours',
      kind: 'hour_pack',
      priceMinor: 9000,
      passMinutes: 300,
      passValidDays: 60,
      bookableKinds: ['meeting_room'],
    });
    await put('/companies/acme', { name: 'Acme S.L.', taxId: 'B12345678' });
    for (const [id, company] of [
      ['ana', null],
      ['ben', null],
      ['carl', 'acme'],
      ['dina', 'acme'],
      ['eva', null],
    ] as const)
      await put(`/members/${id}`, { name: id.toUpperCase(), email: `${id}@example.test`, company });
    await put('/companies/acme', { name: 'Acme S.L.', taxId: 'B12345678', billingMember: 'carl' });

    await post('/contracts', { id: 'k-ana', member: 'ana', plan: 'flex', start: '2027-01-01' });
    await post('/contracts', { id: 'k-carl', member: 'carl', plan: 'office', start: '2027-02-01' });
    await post('/contracts', {
      id: 'k-dina',
      member: 'dina',
      plan: 'flex',
      start: '2027-03-01',
      end: '2027-03-20',
    });
    await post('/contracts', { id: 'k-ben', member: 'ben', plan: 'flex', start: '2027-03-10' });

    const keys = Object.fromEntries(
      await Promise.all(
        ['ana', 'ben', 'carl'].map(async (m) => [m, await memberKey(platform, SITE, m)] as const),
      ),
    );
    const bookings: { id: string; member: string; payment: Payment; refunded?: boolean }[] = [];
    const book = async (member: string, id: string, resource: string, start: string, end: string) => {
      const body = await ok(
        api()
          .post('/v1/bookings')
          .set({ Authorization: `Bearer ${keys[member]}` })
          .send({ site: SITE, id, resource, member, start, end }),
      );
      bookings.push({ id, member, payment: body.payment as Payment });
    };

    // 26 February: Ana books 2 hours of room-1 (4000; February credits 3000, 1000 charged), billed with March: it
    // starts before the period's end and is not invoiced yet.
    at('2027-02-26T08:00:00Z');
    await book(
      'ana',
      'feb-ana',
      'room-1',
      `2027-02-26T15:00:00${TZ_OFFSET_WINTER}`,
      `2027-02-26T17:00:00${TZ_OFFSET_WINTER}`,
    );

    // 2 March: a money voucher for Ana, then her 3 hours in room-1 (6000): March credits 3000, the voucher 1000,
    // 2000 charged.
    at('2027-03-02T08:00:00Z');
    await post('/vouchers', {
      kind: 'money',
      value: 1000,
      expiresAt: '2027-06-01T00:00:00Z',
      code: 'ANA-1000',
    });
    await post('/vouchers/ANA-1000/redeem', { member: 'ana' });
    await book(
      'ana',
      'mar-ana-1',
      'room-1',
      `2027-03-03T10:00:00${TZ_OFFSET_WINTER}`,
      `2027-03-03T13:00:00${TZ_OFFSET_WINTER}`,
    );
    await book(
      'carl',
      'mar-carl-1',
      'room-2',
      `2027-03-04T10:00:00${TZ_OFFSET_WINTER}`,
      `2027-03-04T16:00:00${TZ_OFFSET_WINTER}`,
    );
    // Eva buys a day pass and an hour pack (one-off charges billed to her: she has no contract).
    await post('/members/eva/passes', { plan: 'day' });
    await post('/members/eva/passes', { plan: 'hours' });

    // 12 March: Ana books and cancels in time (refunded: not billed); Ben books after signing on the 10th.
    at('2027-03-12T08:00:00Z');
    await book(
      'ana',
      'mar-ana-cancelled',
      'room-1',
      `2027-03-15T10:00:00${TZ_OFFSET_WINTER}`,
      `2027-03-15T12:00:00${TZ_OFFSET_WINTER}`,
    );
    const cancelled = await api()
      .delete(`/v1/bookings/mar-ana-cancelled?site=${SITE}`)
      .set({ Authorization: `Bearer ${keys.ana}` });
    expect(cancelled.status).toBe(200);
    bookings[bookings.length - 1].refunded = true;
    await book(
      'ben',
      'mar-ben-1',
      'room-1',
      `2027-03-13T09:00:00${TZ_OFFSET_WINTER}`,
      `2027-03-13T12:00:00${TZ_OFFSET_WINTER}`,
    );

    // 18 March: Ben moves to a private office from the 22nd (plan change: his flex contract ends, an office one starts).
    at('2027-03-18T08:00:00Z');
    await post('/contracts/k-ben/change-plan', { plan: 'office', on: '2027-03-22', id: 'k-ben-2' });

    // 29 March, after the change to summer time: more bookings; one in April is not March's.
    at('2027-03-29T08:00:00Z');
    await book(
      'ana',
      'mar-ana-2',
      'room-2',
      `2027-03-30T18:00:00${TZ_OFFSET_SUMMER}`,
      `2027-03-30T20:00:00${TZ_OFFSET_SUMMER}`,
    );
    await book(
      'ben',
      'mar-ben-2',
      'room-1',
      `2027-03-31T21:00:00${TZ_OFFSET_SUMMER}`,
      `2027-03-31T23:30:00${TZ_OFFSET_SUMMER}`,
    );
    await book(
      'carl',
      'apr-carl',
      'room-1',
      `2027-04-01T09:00:00${TZ_OFFSET_SUMMER}`,
      `2027-04-01T11:00:00${TZ_OFFSET_SUMMER}`,
    );

    // The run on 1 April, local morning.
    at('2027-04-01T06:00:00Z');
    const run = await post('/billing-runs', { period: '2027-03' });
    expect(run.invoices).toHaveLength(4);

    // The test's own computation.
    const monthDays = 31;
    const fee = (price: number, from: number, to: number) => Math.round((price * (to - from)) / monthDays);
    const usage = (members: string[]) =>
      bookings
        .filter((b) => members.includes(b.member) && !b.refunded && !b.id.startsWith('apr-'))
        .map((b) => b.payment.chargeMinor)
        .filter((c) => c > 0);
    const expected: Record<string, number[]> = {
      ana: [15000, ...usage(['ana'])],
      // flex 10..22 March, office 22 March..1 April
      ben: [fee(15000, 10, 22), fee(60000, 22, 32), ...usage(['ben'])],
      // Carl's office all month, Dina's flex 1..20 March, and their usage
      acme: [60000, fee(15000, 1, 20), ...usage(['carl', 'dina'])],
      eva: [2500, 9000],
    };
    const tax = (amount: number) => Math.floor((amount * 2100 + 5000) / 10000);

    const invoices = (await ok(
      api().get(`/v1/sites/${SITE}/invoices`).set(auth),
    )) as unknown as InvoiceView[];
    const byBuyer: Record<string, InvoiceView> = Object.fromEntries(
      invoices.map((i): [string, InvoiceView] => [i.company ?? i.member ?? '', i]),
    );
    expect(Object.keys(byBuyer).sort()).toEqual(['acme', 'ana', 'ben', 'eva']);
    let grand = 0;
    for (const [buyer, amounts] of Object.entries(expected)) {
      const invoice = (await ok(
        api().get(`/v1/sites/${SITE}/invoices/${byBuyer[buyer].id}`).set(auth),
      )) as unknown as InvoiceView;
      const lines = invoice.lines ?? [];
      expect([buyer, lines.map((l) => l.amountMinor).sort((a, b) => a - b)]).toEqual([
        buyer,
        [...amounts].sort((a, b) => a - b),
      ]);
      const subtotal = amounts.reduce((s, a) => s + a, 0);
      const taxTotal = amounts.reduce((s, a) => s + tax(a), 0);
      expect([buyer, invoice.subtotalMinor, invoice.taxMinor, invoice.totalMinor]).toEqual([
        buyer,
        subtotal,
        taxTotal,
        subtotal + taxTotal,
      ]);
      grand += subtotal + taxTotal;
    }
    expect(invoices.reduce((s, i) => s + i.totalMinor, 0)).toBe(grand);
    // The company invoice is addressed to its billing contact, who reads it with a member key.
    expect(byBuyer.acme).toMatchObject({ member: 'carl', buyer: { type: 'company', name: 'Acme S.L.' } });
    const carlSees = await api()
      .get(`/v1/sites/${SITE}/members/carl/invoices`)
      .set({ Authorization: `Bearer ${keys.carl}` });
    expect((carlSees.body as InvoiceView[]).map((i) => i.id)).toEqual([byBuyer.acme.id]);
    // Ana's voucher and credits lowered what was charged; the refunded booking and April's are not billed.
    expect(bookings.find((b) => b.id === 'mar-ana-1')?.payment).toMatchObject({
      priceMinor: 6000,
      creditsMinor: 3000,
      voucherMinor: 1000,
      chargeMinor: 2000,
    });
    const billedBookings =
      invoices.length &&
      (
        await db.query<{ booking_id: string }>(
          `SELECT booking_id FROM invoice_lines WHERE site_id = $1 AND kind = 'usage' ORDER BY booking_id`,
          [SITE],
        )
      ).rows.map((r) => r.booking_id);
    expect(billedBookings).not.toContain('mar-ana-cancelled');
    expect(billedBookings).not.toContain('apr-carl');
    expect(billedBookings).toContain('feb-ana');

    expect(await ok(api().get(`/v1/sites/${SITE}/invoices/verify`).set(auth))).toMatchObject({
      ok: true,
      checked: 4,
    });
    const again = await post('/billing-runs', { period: '2027-03' });
    expect(again.invoices).toEqual([]);
  });
});
