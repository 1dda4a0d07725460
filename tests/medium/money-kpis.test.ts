import { EmbeddedDatabase } from '@cw/database';
import { MoneyKpisService } from '@cw/churn';
import { BorrowedDatabase } from '../support/borrowed-database';
import {
  deskSiteDocument,
  insertContract,
  insertInvoice,
  insertMember,
  insertPayment,
  insertPlan,
} from '../support/churn-fixtures';
import { uniqueId } from '../support/factories';
import { openSeededDatabase } from '../support/seeded-database';
import { ADMIN_TOKEN, startPlatform, TestPlatform } from '../support/test-app';

/**
 * A hand-computed month (March 2026, Europe/Madrid, which moves to summer time on the 29th) of contracts, invoices,
 * credit notes and payments; every expected number below is worked out in the comments from the rows inserted.
 */
describe('money KPIs on a hand-computed fixture', () => {
  let db: EmbeddedDatabase;
  let platform: TestPlatform;
  let money: MoneyKpisService;
  const site = uniqueId('money');

  beforeAll(async () => {
    db = await openSeededDatabase();
    platform = await startPlatform(new BorrowedDatabase(db));
    money = platform.app.get(MoneyKpisService);
    // six desk places: desks 1-4 of capacity one, and a bench of two added below
    await platform.putSite(site, deskSiteDocument(4));
    await db.query(
      `INSERT INTO resources (site_id, id, floor_id, name, kind, capacity, polygon)
       VALUES ($1, 'bench', 'f0', 'Bench', 'desk', 2, '[[50,0],[54,0],[54,2],[50,2]]')`,
      [site],
    );
    await insertPlan(db, site, { id: 'flex', kind: 'flex_desk', priceMinor: 20000 });
    await insertPlan(db, site, { id: 'office', kind: 'private_office', priceMinor: 50000 });
    await insertPlan(db, site, { id: 'virtual', kind: 'virtual_office', priceMinor: 5000 });
    await insertPlan(db, site, { id: 'pass', kind: 'day_pass', priceMinor: 2500, period: 'once' });
    for (const m of ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']) await insertMember(db, site, { id: m });
    const c = (
      id: string,
      memberId: string,
      planId: string,
      priceMinor: number,
      start: string,
      end?: string,
    ) => insertContract(db, site, { id, memberId, planId, priceMinor, start, end: end ?? null });
    await c('c1', 'm1', 'flex', 20000, '2026-01-01'); // all month
    await c('c2', 'm2', 'flex', 20000, '2026-01-01', '2026-03-15'); // leaves on the 14th
    await insertContract(db, site, {
      id: 'c3a',
      memberId: 'm3',
      planId: 'flex',
      priceMinor: 20000,
      start: '2026-02-01',
      end: '2026-03-10',
      endReason: 'plan_change',
    });
    await c('c3b', 'm3', 'office', 50000, '2026-03-10'); // upgrade: stays
    await c('c4', 'm4', 'office', 50000, '2026-03-05'); // joins in March
    await c('c5', 'm5', 'virtual', 5000, '2025-12-01', '2026-04-01'); // last day 31 March: churns in March
    await c('c6', 'm6', 'flex', 20000, '2025-11-01', '2026-03-01'); // last day 28 February: churned in February
    await insertContract(db, site, {
      id: 'c7',
      memberId: 'm7',
      planId: 'flex',
      priceMinor: 20000,
      start: '2026-01-01',
      status: 'cancelled',
    }); // never counts

    await insertInvoice(db, site, {
      id: 'inv-1',
      memberId: 'm1',
      issueDate: '2026-03-01',
      dueDate: '2026-03-15',
      lines: [
        { kind: 'membership', amountMinor: 20000, taxMinor: 4200 },
        { kind: 'usage', amountMinor: 1500, taxMinor: 315 },
      ], // total 26015
    });
    await insertInvoice(db, site, {
      id: 'cn-1',
      kind: 'credit_note',
      correctsId: 'inv-1',
      memberId: 'm1',
      issueDate: '2026-03-20',
      dueDate: '2026-03-20',
      lines: [{ kind: 'correction', amountMinor: -1500, taxMinor: -315, correctsLineNo: 2 }], // total -1815
    });
    await insertPayment(db, site, {
      id: 'p-1',
      invoiceId: 'inv-1',
      memberId: 'm1',
      amountMinor: 24200,
      receivedAt: '2026-03-14T10:00:00+01:00',
    });
    await insertInvoice(db, site, {
      id: 'inv-2',
      memberId: 'm3',
      issueDate: '2026-03-10',
      dueDate: '2026-03-25',
      lines: [
        { kind: 'proration', amountMinor: 30000, taxMinor: 6300 },
        { kind: 'pass', amountMinor: 2500, taxMinor: 525 },
      ], // total 39325
    });
    await insertPayment(db, site, {
      id: 'p-2a',
      invoiceId: 'inv-2',
      memberId: 'm3',
      amountMinor: 20000,
      receivedAt: '2026-03-30T12:00:00+02:00',
    });
    // 00:30 on 1 April in Madrid (summer time since 29 March) is still 31 March in UTC: it is April's money
    await insertPayment(db, site, {
      id: 'p-2b',
      invoiceId: 'inv-2',
      memberId: 'm3',
      amountMinor: 19325,
      receivedAt: '2026-03-31T22:30:00Z',
    });
    await insertInvoice(db, site, {
      id: 'inv-3',
      memberId: 'm2',
      issueDate: '2026-02-01',
      dueDate: '2026-02-15',
      lines: [{ kind: 'membership', amountMinor: 20000, taxMinor: 4200 }], // total 24200, February's
    });
    await insertPayment(db, site, {
      id: 'p-3',
      invoiceId: 'inv-3',
      memberId: 'm2',
      amountMinor: 10000,
      receivedAt: '2026-02-20T09:00:00+01:00',
    }); // 14200 left
    await insertInvoice(db, site, {
      id: 'inv-4',
      memberId: 'm1',
      issueDate: '2026-04-01',
      dueDate: '2026-04-15',
      lines: [{ kind: 'membership', amountMinor: 20000, taxMinor: 4200 }], // April's
    });
    await insertInvoice(db, site, {
      id: 'inv-5',
      memberId: 'm4',
      issueDate: '2026-03-31',
      dueDate: '2026-04-14',
      lines: [{ kind: 'one_off', amountMinor: 1000, taxMinor: 210 }], // not due before April
    });
  });

  afterAll(async () => {
    await platform?.close();
    await db?.close();
  });

  it('computes March 2026', async () => {
    const result = await money.forPeriod(site, 'month', '2026-03-17');
    expect(result.period).toEqual({ kind: 'month', start: '2026-03-01', end: '2026-04-01' });
    expect(result.partial).toBe(false);
    if (!result.kpis) throw new Error('no kpis');
    const k = result.kpis;
    expect(k.currency).toBe('EUR');
    // active on 1 March: c1 20000 + c2 20000 + c3a 20000 + c5 5000; on 31 March: c1 + c3b 50000 + c4 50000 + c5
    expect(k.mrr).toEqual({ startMinor: 65000, endMinor: 125000 });
    // m1, m2, m3, m5 active on 1 March; m2 (last day 14th) and m5 (last day 31st) left
    expect(k.churnRate).toEqual({ value: 0.5, numerator: 2, denominator: 4 });
    // desk plans on 31 March: m1 (flex), m3 and m4 (offices); 4 desks + a bench of 2 = 6 places
    expect(k.membershipOccupancy).toEqual({ value: 0.5, numerator: 3, denominator: 6 });
    const stream = (name: string) => k.revenue.streams.find((s) => s.stream === name);
    expect(stream('membership')).toEqual({
      stream: 'membership',
      invoicedMinor: 20000,
      creditedMinor: 0,
      netMinor: 20000,
    });
    expect(stream('proration')?.netMinor).toBe(30000);
    // the credit note line corrects inv-1 line 2, so it comes off usage
    expect(stream('usage')).toEqual({
      stream: 'usage',
      invoicedMinor: 1500,
      creditedMinor: 1500,
      netMinor: 0,
    });
    expect(stream('pass')?.netMinor).toBe(2500);
    expect(stream('one_off')?.netMinor).toBe(1000);
    expect(stream('correction')?.netMinor).toBe(0);
    expect(k.revenue.totalNetMinor).toBe(53500);
    // at the start of 1 April: inv-2 owes 19325 (its last payment came 00:30 local on 1 April), inv-3 owes 14200;
    // inv-1 is settled by its payment and the credit note; inv-5 is due later
    expect(k.overdue).toEqual({ count: 2, amountMinor: 33525, asOf: '2026-04-01' });
  });

  it('computes the week of Monday 9 March', async () => {
    const result = await money.forPeriod(site, 'week', '2026-03-10');
    expect(result.period).toEqual({ kind: 'week', start: '2026-03-09', end: '2026-03-16' });
    if (!result.kpis) throw new Error('no kpis');
    const k = result.kpis;
    // on 9 March: c1, c2, c3a (until the 10th), c4 50000, c5; on 15 March: c1, c3b, c4, c5 (c2's last day was the 14th)
    expect(k.mrr).toEqual({ startMinor: 115000, endMinor: 125000 });
    expect(k.churnRate).toEqual({ value: 0.2, numerator: 1, denominator: 5 });
    expect(k.revenue.totalNetMinor).toBe(32500);
    // at the start of 16 March: inv-1 (due the 15th) still owes 1815 until the credit note of the 20th; inv-3 14200
    expect(k.overdue).toEqual({ count: 2, amountMinor: 16015, asOf: '2026-03-16' });
  });

  it('computes a single day', async () => {
    const result = await money.forPeriod(site, 'day', '2026-03-10');
    if (!result.kpis) throw new Error('no kpis');
    // 10 March: c3a ended (plan change), c3b started: the same member, a higher price
    expect(result.kpis.mrr).toEqual({ startMinor: 145000, endMinor: 145000 });
    expect(result.kpis.churnRate.numerator).toBe(0);
    expect(result.kpis.revenue.totalNetMinor).toBe(32500);
  });

  it('answers null with the reason for a period in the future, and for a site without desks', async () => {
    const future = await money.forPeriod(site, 'month', '2099-01-10');
    expect(future).toMatchObject({ kpis: null, partial: true });
    expect((future as { reason: string }).reason).toMatch(/starts after today/);

    const empty = uniqueId('money-empty');
    await platform.putSite(empty, deskSiteDocument(0));
    const none = await money.forPeriod(empty, 'month', '2026-03-01');
    if (!none.kpis) throw new Error('no kpis');
    expect(none.kpis.membershipOccupancy).toEqual({
      value: null,
      numerator: 0,
      denominator: 0,
      reason: 'the site has no desk capacity',
    });
    expect(none.kpis.churnRate.value).toBeNull();
    expect(none.kpis.mrr).toEqual({ startMinor: 0, endMinor: 0 });
  });

  it('serves them over HTTP to managers, with 400 for a bad period and 404 for an unknown site', async () => {
    const get = (path: string, token = ADMIN_TOKEN) =>
      fetch(`${platform.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const ok = await get(`/v1/sites/${site}/money-kpis?period=month&date=2026-03-01`);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { kpis: { mrr: { endMinor: number } } };
    expect(body.kpis.mrr.endMinor).toBe(125000);

    const bad = await get(`/v1/sites/${site}/money-kpis?period=quarter&date=2026-02-30`);
    expect(bad.status).toBe(400);
    const errors = ((await bad.json()) as { errors: Array<{ path: string }> }).errors
      .map((e) => e.path)
      .sort();
    expect(errors).toEqual(['date', 'period']);

    expect((await get(`/v1/sites/no-such-site/money-kpis?date=2026-03-01`)).status).toBe(404);
    // the KPI API carries them too, under extra.money
    const kpis = await get(`/v1/sites/${site}/kpis?period=month&date=2026-03-01`);
    expect(kpis.status).toBe(200);
    const extra = (
      (await kpis.json()) as { extra: { money: { mrr: unknown; churnRate: { value: number } } } }
    ).extra;
    expect(extra.money.mrr).toEqual({ startMinor: 65000, endMinor: 125000 });
    expect(extra.money.churnRate.value).toBe(0.5);
    const integration = await platform.createKey('integration', site);
    expect((await get(`/v1/sites/${site}/money-kpis?date=2026-03-01`, integration)).status).toBe(403);
  });
});
