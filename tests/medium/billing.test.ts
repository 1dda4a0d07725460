import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import request from 'supertest';
import { ApiKeysService } from '@cw/auth';
import {
  BillingRunsService,
  ChainReport,
  InvoiceChainService,
  InvoiceIssuer,
  InvoiceView,
  StaleWorkError,
} from '@cw/billing';
import { Clock, ControllableClock } from '@cw/common';
import { EmbeddedDatabase } from '@cw/database';
import { ClockModule } from '@cw/runtime';
import { BorrowedDatabase } from '../support/borrowed-database';
import { openSeededDatabase } from '../support/seeded-database';
import { ADMIN_TOKEN, startPlatform, TestPlatform } from '../support/test-app';
import { siteDocument, uniqueId } from '../support/factories';
import { BillingFixtures } from './billing-fixtures';

/**
 * Billing runs, numbering and the hash chain on the embedded TimescaleDB. Contracts are bounded in 2024 so no other
 * month's run (a background tick) could ever bill them, and the clock is set so issue and due dates are known.
 */
describe('billing runs', () => {
  let db: EmbeddedDatabase;
  let platform: TestPlatform;
  let clock: ControllableClock;
  const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  const api = () => request(platform.url);

  beforeAll(async () => {
    db = await openSeededDatabase();
    platform = await startPlatform(new BorrowedDatabase(db), { CLOCK_CONTROL: 'on' });
    clock = platform.app.select(ClockModule).get<Clock, ControllableClock>(Clock, { strict: true });
    clock.set(new Date('2024-07-01T08:00:00Z'), 1);
  });

  afterAll(async () => {
    await platform?.close();
    await db?.close();
  });

  const newSite = async (name = 'Test Space') => {
    const site = uniqueId('bl').replace(/[^a-zA-Z0-9_-]/g, '');
    await platform.putSite(site, siteDocument({ name }));
    return new BillingFixtures(db, site);
  };

  /** A month of typical work: full, partial and changed contracts, a company with two members, usage and charges. */
  const seedJune = async (f: BillingFixtures) => {
    await f.plan('flex', 15000, 'Flex desk');
    await f.plan('fixed', 30000, 'Fixed desk');
    await f.member('ana', 'Ana');
    await f.member('ben', 'Ben');
    await f.member('eva', 'Eva');
    await f.company('acme', 'Acme, "The" Company');
    await f.member('carl', 'Carl', 'acme');
    await f.member('dina', 'Dina', 'acme');
    // Ana: the whole of June
    await f.contract({
      id: 'c-ana',
      member: 'ana',
      plan: 'flex',
      price: 15000,
      start: '2024-05-01',
      end: '2024-08-01',
    });
    // Ben: from 16 June (15 of 30 days), then upgraded on 21 June: plan change ends one contract, starts the next
    await f.contract({
      id: 'c-ben-1',
      member: 'ben',
      plan: 'flex',
      price: 15000,
      start: '2024-06-16',
      end: '2024-06-21',
    });
    await f.contract({
      id: 'c-ben-2',
      member: 'ben',
      plan: 'fixed',
      price: 30000,
      start: '2024-06-21',
      end: '2024-09-01',
    });
    // Acme pays for Carl and Dina; Dina leaves on 11 June
    await f.contract({
      id: 'c-carl',
      member: 'carl',
      plan: 'flex',
      price: 15000,
      start: '2024-01-01',
      end: '2024-12-01',
      company: 'acme',
    });
    await f.contract({
      id: 'c-dina',
      member: 'dina',
      plan: 'flex',
      price: 15000,
      start: '2024-01-01',
      end: '2024-06-11',
      company: 'acme',
    });
    // Usage: Ana twice (one refunded), Carl once (billed to Acme), one booking after June (not billed yet)
    await f.usage('ana', '2024-06-10T09:00:00Z', 1250);
    await f.usage('ana', '2024-06-11T09:00:00Z', 990, true);
    await f.usage('carl', '2024-06-12T09:00:00Z', 2000);
    await f.usage('ana', '2024-07-02T09:00:00Z', 500);
    // One-off charges: a badge for Eva (no contract: billed to Eva), a day pass, one dated in July (not yet)
    await f.oneOff('eva', 'Day pass: Day pass', 2500, '2024-06-20');
    await f.oneOff('ana', 'Printed badge', 500, '2024-06-05');
    await f.oneOff('ana', 'Locker key', 700, '2024-07-03');
  };

  it('issues one invoice per buyer with prorations, usage and charges, taxed per line', async () => {
    const f = await newSite();
    await seedJune(f);
    const response = await api()
      .post(`/v1/sites/${f.siteId}/billing-runs`)
      .set(auth)
      .send({ period: '2024-06' });
    expect(response.status).toBe(201);
    expect(response.body.invoices).toHaveLength(4);

    const invoices = await f.invoices();
    expect(invoices.map((i) => [i.number, i.company_id ?? i.member_id])).toEqual([
      [1, 'acme'],
      [2, 'ana'],
      [3, 'ben'],
      [4, 'eva'],
    ]);
    const get = async (id: string) =>
      (await api().get(`/v1/sites/${f.siteId}/invoices/${id}`).set(auth)).body as InvoiceView;
    const kinds = (view: InvoiceView) => (view.lines ?? []).map((l) => [l.kind, l.amountMinor]);

    const acme = await get(invoices[0].id);
    expect(acme.buyer).toMatchObject({ type: 'company', id: 'acme', name: 'Acme, "The" Company' });
    expect((acme.lines ?? []).map((l) => [l.kind, l.amountMinor, l.taxMinor])).toEqual([
      ['membership', 15000, 3150],
      // Dina: 10 of 30 days
      ['proration', 5000, 1050],
      ['usage', 2000, 420],
    ]);
    expect(acme).toMatchObject({ subtotalMinor: 22000, taxMinor: 4620, totalMinor: 26620, status: 'open' });
    expect(acme).toMatchObject({ issueDate: '2024-07-01', dueDate: '2024-07-15', periodStart: '2024-06-01' });

    const ana = await get(invoices[1].id);
    expect(kinds(ana)).toEqual([
      ['membership', 15000],
      ['usage', 1250],
      ['one_off', 500],
    ]);
    // 3150 + 262.5 -> 263 + 105
    expect(ana).toMatchObject({ subtotalMinor: 16750, taxMinor: 3518, totalMinor: 20268 });

    const ben = await get(invoices[2].id);
    // 5 of 30 days of 15000, then 10 of 30 days of 30000
    expect(kinds(ben)).toEqual([
      ['proration', 2500],
      ['proration', 10000],
    ]);
    const eva = await get(invoices[3].id);
    expect(kinds(eva)).toEqual([['pass', 2500]]);

    const { rows: taken } = await db.query<{ id: string; invoice_id: string | null }>(
      'SELECT description AS id, invoice_id FROM one_off_charges WHERE site_id = $1 ORDER BY description',
      [f.siteId],
    );
    expect(taken).toEqual([
      { id: 'Day pass: Day pass', invoice_id: invoices[3].id },
      { id: 'Locker key', invoice_id: null },
      { id: 'Printed badge', invoice_id: invoices[1].id },
    ]);
  });

  it('creates nothing when run again, and bills only what is new in the next month', async () => {
    const f = await newSite();
    await seedJune(f);
    const runs = platform.app.get(BillingRunsService);
    const first = await runs.run(f.siteId, '2024-06');
    const again = await runs.run(f.siteId, '2024-06');
    expect(first.invoiceIds).toHaveLength(4);
    expect(again.invoiceIds).toEqual([]);
    expect((await f.invoices()).length).toBe(4);

    const july = await runs.run(f.siteId, '2024-07');
    // Ana (membership, July booking, locker key), Ben, Acme (Carl)
    expect(july.invoiceIds).toHaveLength(3);
    const numbers = (await f.invoices()).map((i) => i.number);
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('two concurrent runs through the service issue one set of invoices, gapless, no duplicate number', async () => {
    const f = await newSite();
    await seedJune(f);
    for (let i = 0; i < 20; i++) {
      const m = await f.member(`m${i}`);
      await f.contract({ member: m, plan: 'flex', price: 10000 + i, start: '2024-06-01', end: '2024-07-01' });
      await f.usage(m, `2024-06-0${1 + (i % 9)}T10:00:00Z`, 100 + i, false, i % 2 ? 'room-1' : 'room-2');
    }
    const runs = platform.app.get(BillingRunsService);
    const [a, b] = await Promise.all([runs.run(f.siteId, '2024-06'), runs.run(f.siteId, '2024-06')]);
    expect(a.invoiceIds.length + b.invoiceIds.length).toBe(24);
    expect(new Set([...a.invoiceIds, ...b.invoiceIds]).size).toBe(24);
    await expectOneSet(f, 24);
  });

  it('two concurrent runs through HTTP issue one set of invoices', async () => {
    const f = await newSite();
    await seedJune(f);
    const post = () => api().post(`/v1/sites/${f.siteId}/billing-runs`).set(auth).send({ period: '2024-06' });
    const [a, b] = await Promise.all([post(), post()]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.invoices.length + b.body.invoices.length).toBe(4);
    await expectOneSet(f, 4);
  });

  /** Numbers 1..n without gap or repeat, each contract billed once, each booking on one usage line. */
  const expectOneSet = async (f: BillingFixtures, n: number) => {
    const invoices = await f.invoices();
    expect(invoices.map((i) => i.number)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    const { rows: head } = await db.query<{ next_number: number }>(
      `SELECT next_number FROM invoice_series WHERE site_id = $1 AND series = 'INV'`,
      [f.siteId],
    );
    expect(head[0].next_number).toBe(n + 1);
    const { rows: billed } = await db.query<{ contracts: number; distinct_contracts: number }>(
      `SELECT count(*)::int AS contracts, count(DISTINCT contract_id)::int AS distinct_contracts FROM invoice_lines
       WHERE site_id = $1 AND contract_id IS NOT NULL`,
      [f.siteId],
    );
    expect(billed[0].contracts).toBe(billed[0].distinct_contracts);
    const { rows: usage } = await db.query<{ lines: number; bookings: number }>(
      `SELECT count(*)::int AS lines, count(DISTINCT booking_id)::int AS bookings FROM invoice_lines
       WHERE site_id = $1 AND kind = 'usage'`,
      [f.siteId],
    );
    expect(usage[0].lines).toBe(usage[0].bookings);
    expect((await platform.app.get(InvoiceChainService).verify(f.siteId)).ok).toBe(true);
  };

  it('a transaction that fails after taking a number gives it back: no gap', async () => {
    const f = await newSite();
    await f.member('ana');
    const taken = await f.oneOff('ana', 'Printed badge', 500, '2024-06-01');
    await db.query(`UPDATE one_off_charges SET invoice_id = 'elsewhere' WHERE site_id = $1 AND id = $2`, [
      f.siteId,
      taken,
    ]);
    const issuer = platform.app.get(InvoiceIssuer);
    const draft = (chargeIds: string[]) => ({
      siteId: f.siteId,
      series: 'INV',
      kind: 'invoice' as const,
      buyer: { type: 'member' as const, id: 'ana', name: 'Ana', taxId: null, address: null, email: null },
      memberId: 'ana',
      companyId: null,
      currency: 'EUR',
      periodStart: null,
      periodEnd: null,
      issueDate: '2024-07-01',
      dueDate: '2024-07-15',
      totals: { subtotalMinor: 0, taxMinor: 0, totalMinor: 0 },
      lines: [],
      correctsId: null,
      note: null,
      billingRunId: null,
      issuedAt: new Date('2024-07-01T08:00:00Z'),
      contractIds: [],
      chargeIds,
    });
    // The charge was invoiced elsewhere: the write takes number 1, finds the charge gone and rolls back.
    await expect(db.transaction((tx) => issuer.issue(tx, draft([taken])))).rejects.toThrow(StaleWorkError);
    const issued = await db.transaction((tx) => issuer.issue(tx, draft([])));
    expect([issued.id, issued.number, issued.previousHash]).toEqual(['INV-000001', 1, null]);
    expect((await platform.app.get(InvoiceChainService).verify(f.siteId)).ok).toBe(true);
  });

  it('documents every billing route in OpenAPI', async () => {
    type Operation = { tags?: string[]; security?: unknown[] };
    // The document the api process serves at /docs-json (libs/runtime configureHttpApp with docs on).
    const doc = SwaggerModule.createDocument(
      platform.app,
      new DocumentBuilder().addBearerAuth().build(),
    ) as unknown as { paths: Record<string, Record<string, Operation>> };
    const billing = Object.entries(doc.paths).filter(
      ([path]) => /billing-runs|invoices|payments|exports/.test(path) && path.startsWith('/v1/sites/{site}/'),
    );
    for (const [path, operations] of billing)
      for (const [method, op] of Object.entries(operations))
        expect([path, method, op.tags, op.security?.length]).toEqual([path, method, ['billing'], 1]);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/sites/{site}/billing-runs',
        '/v1/sites/{site}/invoices',
        '/v1/sites/{site}/invoices/verify',
        '/v1/sites/{site}/invoices/{id}',
        '/v1/sites/{site}/invoices/{id}/credit-note',
        '/v1/sites/{site}/invoices/overdue-reminders',
        '/v1/sites/{site}/payments',
        '/v1/sites/{site}/payments/{id}',
        '/v1/sites/{site}/exports/invoices.csv',
        '/v1/sites/{site}/exports/payments.csv',
        '/v1/sites/{site}/members/{member}/invoices',
        '/v1/sites/{site}/members/{member}/invoices/{id}',
      ]),
    );
  });

  it('refuses a bad period with the field named, and an unknown site with 404', async () => {
    const f = await newSite();
    const bad = await api().post(`/v1/sites/${f.siteId}/billing-runs`).set(auth).send({ period: '2024-13' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'period' })]);
    const unknown = await api()
      .post('/v1/sites/no-such-site/billing-runs')
      .set(auth)
      .send({ period: '2024-06' });
    expect(unknown.status).toBe(404);
  });

  it('verifies the chain, names exactly the altered invoice, and the trigger refuses updates', async () => {
    const f = await newSite();
    await seedJune(f);
    await platform.app.get(BillingRunsService).run(f.siteId, '2024-06');
    const verify = async () =>
      (await api().get(`/v1/sites/${f.siteId}/invoices/verify`).set(auth)).body as ChainReport;
    expect(await verify()).toEqual({ ok: true, checked: 4, broken: [] });

    await expect(
      db.query(
        `UPDATE invoices SET total_minor = 1, subtotal_minor = 1, tax_minor = 0 WHERE site_id = $1 AND number = 2`,
        [f.siteId],
      ),
    ).rejects.toThrow(/immutable/);
    await expect(
      db.query(`DELETE FROM invoices WHERE site_id = $1 AND number = 2`, [f.siteId]),
    ).rejects.toThrow(/immutable/);
    await expect(
      db.query(`UPDATE invoice_lines SET amount_minor = 1 WHERE site_id = $1`, [f.siteId]),
    ).rejects.toThrow(/immutable/);

    // Tamper as someone with the database's keys would: with the trigger off.
    await db.exec('ALTER TABLE invoices DISABLE TRIGGER invoices_immutable');
    try {
      await db.query(
        `UPDATE invoices SET total_minor = total_minor - 100, subtotal_minor = subtotal_minor - 100
         WHERE site_id = $1 AND series = 'INV' AND number = 2`,
        [f.siteId],
      );
    } finally {
      await db.exec('ALTER TABLE invoices ENABLE TRIGGER invoices_immutable');
    }
    const report = await verify();
    expect(report).toMatchObject({
      ok: false,
      checked: 4,
      firstBroken: { series: 'INV', number: 2, reason: expect.stringContaining('altered') },
    });
    expect(report.broken).toHaveLength(1);
  });

  it('a credit note reverses an invoice in its own series without touching it', async () => {
    const f = await newSite();
    await seedJune(f);
    await platform.app.get(BillingRunsService).run(f.siteId, '2024-06');
    const [acme] = await f.invoices();
    const url = `/v1/sites/${f.siteId}/invoices/${acme.id}`;
    const before = (await api().get(url).set(auth)).body;

    const partial = await api()
      .post(`${url}/credit-note`)
      .set(auth)
      .send({ lines: [{ lineNo: 3, amountMinor: 1000 }], reason: 'Room was not clean' });
    expect(partial.status).toBe(201);
    expect(partial.body).toMatchObject({
      kind: 'credit_note',
      series: 'CN',
      number: 1,
      corrects: acme.id,
      note: 'Room was not clean',
      subtotalMinor: -1000,
      taxMinor: -210,
      totalMinor: -1210,
    });
    expect(partial.body.lines[0]).toMatchObject({
      kind: 'correction',
      correctsLineNo: 3,
      amountMinor: -1000,
    });

    const after = (await api().get(url).set(auth)).body;
    expect(after).toMatchObject({ totalMinor: before.totalMinor, hash: before.hash, creditedMinor: 1210 });
    expect(after.balanceMinor).toBe(before.totalMinor - 1210);

    const tooMuch = await api()
      .post(`${url}/credit-note`)
      .set(auth)
      .send({ lines: [{ lineNo: 3, amountMinor: 1001 }], reason: 'again' });
    expect(tooMuch.status).toBe(409);

    const full = await api()
      .post(`${url}/credit-note`)
      .set(auth)
      .send({ full: true, reason: 'Contract cancelled' });
    expect(full.status).toBe(201);
    // What was left: 15000 + 5000 + 1000, taxes exactly the rest of each line's tax
    expect(full.body).toMatchObject({
      number: 2,
      subtotalMinor: -21000,
      taxMinor: -4410,
      totalMinor: -25410,
    });
    expect((await api().get(url).set(auth)).body).toMatchObject({ balanceMinor: 0, status: 'credited' });
    expect((await api().post(`${url}/credit-note`).set(auth).send({ full: true, reason: 'x' })).status).toBe(
      409,
    );

    const bothGiven = await api()
      .post(`${url}/credit-note`)
      .set(auth)
      .send({ full: true, lines: [{ lineNo: 1 }], reason: 'x' });
    expect(bothGiven.status).toBe(400);
    const ofCreditNote = await api()
      .post(`/v1/sites/${f.siteId}/invoices/${partial.body.id}/credit-note`)
      .set(auth)
      .send({ full: true, reason: 'x' });
    expect(ofCreditNote.status).toBe(404);
    expect((await api().get(`/v1/sites/${f.siteId}/invoices/verify`).set(auth)).body).toMatchObject({
      ok: true,
      checked: 6,
    });
  });

  it("invoices each guest booking's charge to the guest, once, and takes the guest's payment for it", async () => {
    const f = await newSite();
    await f.member('ana', 'Ana');
    await f.usage('ana', '2024-06-10T09:00:00Z', 1250);
    const ada = await f.guestUsage({ name: 'Ada', email: 'ada@example.com' }, '2024-06-12T09:00:00Z', 1200);
    const bo = await f.guestUsage({ name: 'Bo' }, '2024-06-14T09:00:00Z', 800);
    await f.guestUsage({ name: 'Cy' }, '2024-06-15T09:00:00Z', 900, true); // cancelled in time: refunded
    const july = await f.guestUsage({ name: 'Ada' }, '2024-07-02T09:00:00Z', 1200); // next month's

    const runs = platform.app.get(BillingRunsService);
    const june = await runs.run(f.siteId, '2024-06');
    expect(june.invoiceIds).toHaveLength(3);
    const invoices = await f.invoices();
    const get = async (id: string) =>
      (await api().get(`/v1/sites/${f.siteId}/invoices/${id}`).set(auth)).body as InvoiceView;
    const views = await Promise.all(invoices.map((i) => get(i.id)));
    expect(views.map((v) => [v.buyer.type, v.buyer.id, v.member, v.company, v.totalMinor])).toEqual([
      ['guest', ada, null, null, 1452],
      ['guest', bo, null, null, 968],
      ['member', 'ana', 'ana', null, 1513],
    ]);
    expect(views[0].buyer).toMatchObject({ name: 'Ada', email: 'ada@example.com' });
    expect((views[0].lines ?? []).map((l) => [l.kind, l.bookingId, l.amountMinor])).toEqual([
      ['usage', ada, 1200],
    ]);
    expect((await runs.run(f.siteId, '2024-06')).invoiceIds).toEqual([]);
    const next = await runs.run(f.siteId, '2024-07');
    expect(next.invoiceIds).toHaveLength(1);
    expect((await get(next.invoiceIds[0])).buyer).toMatchObject({ type: 'guest', id: july });
    expect((await api().get(`/v1/sites/${f.siteId}/invoices/verify`).set(auth)).body).toMatchObject({
      ok: true,
    });

    const pay = (body: Record<string, unknown>) =>
      api()
        .post(`/v1/sites/${f.siteId}/payments`)
        .set(auth)
        .send({ amountMinor: 1452, method: 'manual', receivedAt: '2024-07-03T10:00:00Z', ...body });
    const paid = await pay({ guestBooking: ada });
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({
      member: null,
      company: null,
      guestBooking: ada,
      allocations: [{ invoice: invoices[0].id, amountMinor: 1452 }],
      unallocatedMinor: 0,
    });
    expect((await get(invoices[0].id)).status).toBe('paid');
    expect((await get(invoices[1].id)).status).not.toBe('paid');
    expect((await pay({ guestBooking: 'gb-nobody' })).status).toBe(404);
    const both = await pay({ guestBooking: ada, member: 'ana' });
    expect(both.status).toBe(400);
    expect((both.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['member']);
  });

  it('members read their own invoices only', async () => {
    const f = await newSite();
    await seedJune(f);
    await platform.app.get(BillingRunsService).run(f.siteId, '2024-06');
    const invoices = await f.invoices();
    const anaInvoice = invoices.find((i) => i.member_id === 'ana')!;
    const benInvoice = invoices.find((i) => i.member_id === 'ben')!;
    const keys = platform.app.get(ApiKeysService);
    const ana = (await keys.create({ name: 'ana', role: 'member', siteId: f.siteId, memberId: 'ana' })).token;
    const asAna = { Authorization: `Bearer ${ana}` };

    const own = await api().get(`/v1/sites/${f.siteId}/members/ana/invoices`).set(asAna);
    expect(own.status).toBe(200);
    expect((own.body as InvoiceView[]).map((i) => i.id)).toEqual([anaInvoice.id]);
    const ownOne = await api().get(`/v1/sites/${f.siteId}/members/ana/invoices/${anaInvoice.id}`).set(asAna);
    expect(ownOne.status).toBe(200);
    expect((ownOne.body as InvoiceView).lines).toHaveLength(3);

    expect((await api().get(`/v1/sites/${f.siteId}/members/ben/invoices`).set(asAna)).status).toBe(403);
    expect(
      (await api().get(`/v1/sites/${f.siteId}/members/ben/invoices/${benInvoice.id}`).set(asAna)).status,
    ).toBe(403);
    expect(
      (await api().get(`/v1/sites/${f.siteId}/members/ana/invoices/${benInvoice.id}`).set(asAna)).status,
    ).toBe(404);
    expect((await api().get(`/v1/sites/${f.siteId}/invoices/${benInvoice.id}`).set(asAna)).status).toBe(403);
    expect((await api().get(`/v1/sites/${f.siteId}/exports/invoices.csv`).set(asAna)).status).toBe(403);
    // The admin reads any member's
    const asAdmin = await api().get(`/v1/sites/${f.siteId}/members/ben/invoices`).set(auth);
    expect((asAdmin.body as InvoiceView[]).map((i) => i.id)).toEqual([benInvoice.id]);
  });
});
