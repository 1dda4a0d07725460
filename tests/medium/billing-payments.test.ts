import { createServer, Server as HttpServer } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import {
  BillingRunsService,
  BillingScheduler,
  InvoiceView,
  OverdueService,
  PaymentsService,
} from '@cw/billing';
import { Clock, ControllableClock } from '@cw/common';
import { EmbeddedDatabase } from '@cw/database';
import { ClockModule } from '@cw/runtime';
import { BorrowedDatabase } from '../support/borrowed-database';
import { waitFor } from '../support/mqtt-client';
import { openSeededDatabase } from '../support/seeded-database';
import { ADMIN_TOKEN, startPlatform, TestPlatform } from '../support/test-app';
import { siteDocument, uniqueId } from '../support/factories';
import { BillingFixtures } from './billing-fixtures';

interface PaymentView {
  id: string;
  amountMinor: number;
  allocations: { invoice: string; amountMinor: number }[];
  unallocatedMinor: number;
}

/** Payments and their allocation, overdue reminders on a controllable clock, and the accountants' CSV exports. */
describe('billing: payments, reminders and exports', () => {
  let db: EmbeddedDatabase;
  let platform: TestPlatform;
  let clock: ControllableClock;
  let receiver: HttpServer;
  let receiverUrl = '';
  const hooks: { type: string; data: { invoiceId: string; level: number; balanceMinor: number } }[] = [];
  const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  const api = () => request(platform.url);

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        hooks.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as (typeof hooks)[number]);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    db = await openSeededDatabase();
    platform = await startPlatform(new BorrowedDatabase(db), {
      CLOCK_CONTROL: 'on',
      WEBHOOK_ALLOW_PRIVATE: 'true',
    });
    clock = platform.app.select(ClockModule).get<Clock, ControllableClock>(Clock, { strict: true });
  });

  afterAll(async () => {
    await platform?.close();
    await db?.close();
    receiver?.closeAllConnections();
    await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  });

  /** Invoices for Ana's April, May and June (INV 1, 2, 4) and Acme's June (INV 3), each issued on the 1st after. */
  const billedSite = async () => {
    const site = uniqueId('bp').replace(/[^a-zA-Z0-9_-]/g, '');
    await platform.putSite(site, siteDocument());
    const f = new BillingFixtures(db, site);
    await f.plan('flex', 10000, 'Flex desk');
    await f.member('ana', 'Ana');
    await f.member('carl', 'Carl');
    await f.company('acme', '=Acme, "Ltd"', 'carl');
    await f.member('dina', 'Dina', 'acme');
    await f.contract({ member: 'ana', plan: 'flex', price: 10000, start: '2024-04-01', end: '2024-07-01' });
    await f.contract({
      member: 'dina',
      plan: 'flex',
      price: 20000,
      start: '2024-06-01',
      end: '2024-07-01',
      company: 'acme',
    });
    const runs = platform.app.get(BillingRunsService);
    for (const [period, issued] of [
      ['2024-04', '2024-05-01T08:00:00Z'],
      ['2024-05', '2024-06-01T08:00:00Z'],
      ['2024-06', '2024-07-01T08:00:00Z'],
    ]) {
      clock.set(new Date(issued), 1);
      await runs.run(site, period);
    }
    return f;
  };

  const invoice = async (site: string, id: string) =>
    (await api().get(`/v1/sites/${site}/invoices/${id}`).set(auth)).body as InvoiceView;

  it('allocates oldest open invoice first and derives paid, balance and status', async () => {
    const f = await billedSite();
    const [april, may, acme, june] = await f.invoices();
    expect([acme.company_id, april.member_id, may.member_id, june.member_id]).toEqual([
      'acme',
      'ana',
      'ana',
      'ana',
    ]);
    clock.set(new Date('2024-07-02T10:00:00Z'), 1);
    // April and May are past due (15 May, 15 June), June is open until 15 July.
    expect((await invoice(f.siteId, april.id)).status).toBe('overdue');
    expect((await invoice(f.siteId, june.id)).status).toBe('open');

    const paid = await api().post(`/v1/sites/${f.siteId}/payments`).set(auth).send({
      member: 'ana',
      amountMinor: 15000,
      method: 'bank_transfer',
      reference: 'TR-1',
      receivedAt: '2024-07-02T09:00:00+02:00',
    });
    expect(paid.status).toBe(201);
    const payment = paid.body as PaymentView;
    // 12100 each: all of April, 2900 of May
    expect(payment.allocations).toEqual([
      { invoice: april.id, amountMinor: 12100 },
      { invoice: may.id, amountMinor: 2900 },
    ]);
    expect(payment.unallocatedMinor).toBe(0);
    expect(await invoice(f.siteId, april.id)).toMatchObject({
      paidMinor: 12100,
      balanceMinor: 0,
      status: 'paid',
    });
    expect(await invoice(f.siteId, may.id)).toMatchObject({
      paidMinor: 2900,
      balanceMinor: 9200,
      status: 'overdue',
    });

    // Explicit allocation, leaving the rest on account
    const explicit = await api()
      .post(`/v1/sites/${f.siteId}/payments`)
      .set(auth)
      .send({
        member: 'ana',
        amountMinor: 20000,
        method: 'manual',
        receivedAt: '2024-07-02T10:00:00Z',
        allocations: [{ invoice: june.id, amountMinor: 12100 }],
      });
    expect(explicit.status).toBe(201);
    expect((explicit.body as PaymentView).unallocatedMinor).toBe(7900);
    expect((await invoice(f.siteId, june.id)).status).toBe('paid');
    expect((await invoice(f.siteId, may.id)).balanceMinor).toBe(9200);

    // A company pays its own invoices only
    const company = await api()
      .post(`/v1/sites/${f.siteId}/payments`)
      .set(auth)
      .send({ company: 'acme', amountMinor: 100, method: 'manual', receivedAt: '2024-07-02T10:00:00Z' });
    expect((company.body as PaymentView).allocations).toEqual([{ invoice: acme.id, amountMinor: 100 }]);
  });

  it('refuses over-allocation and bad payments, writing nothing', async () => {
    const f = await billedSite();
    const [april, , acme] = await f.invoices();
    const post = (body: Record<string, unknown>) =>
      api()
        .post(`/v1/sites/${f.siteId}/payments`)
        .set(auth)
        .send({ member: 'ana', method: 'manual', receivedAt: '2024-07-02T10:00:00Z', ...body });
    const overBalance = await post({
      amountMinor: 20000,
      allocations: [{ invoice: april.id, amountMinor: 12101 }],
    });
    expect(overBalance.status).toBe(409);
    const overPayment = await post({
      amountMinor: 100,
      allocations: [{ invoice: april.id, amountMinor: 101 }],
    });
    expect(overPayment.status).toBe(409);
    const otherBuyer = await post({
      amountMinor: 100,
      allocations: [{ invoice: acme.id, amountMinor: 100 }],
    });
    expect(otherBuyer.status).toBe(400);
    expect(otherBuyer.body.errors).toEqual([expect.objectContaining({ path: 'allocations.0.invoice' })]);
    const negative = await post({ amountMinor: -5 });
    expect(negative.status).toBe(400);
    expect(negative.body.errors).toEqual([expect.objectContaining({ path: 'amountMinor' })]);
    expect((await post({ amountMinor: 100, method: 'cheque' })).status).toBe(400);
    expect((await post({ amountMinor: 100, method: 'bank_transfer' })).status).toBe(400);
    expect((await post({ amountMinor: 100, currency: 'USD' })).status).toBe(400);
    expect((await post({ amountMinor: 100, member: 'nobody' })).status).toBe(404);
    const both = await post({ amountMinor: 100, company: 'acme' });
    expect(both.status).toBe(400);
    const { rows } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM payments WHERE site_id = $1',
      [f.siteId],
    );
    expect(rows[0].n).toBe(0);
  });

  it('two concurrent payments never allocate more than an invoice balance', async () => {
    const f = await billedSite();
    const [april] = await f.invoices();
    const payments = platform.app.get(PaymentsService);
    const pay = () =>
      payments.record(f.siteId, {
        buyer: { type: 'member', id: 'ana' },
        amountMinor: 10000,
        method: 'manual',
        reference: null,
        receivedAt: new Date('2024-07-02T10:00:00Z'),
        allocations: [{ invoiceId: april.id, amountMinor: 10000 }],
      });
    const results = await Promise.allSettled([pay(), pay()]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((await invoice(f.siteId, april.id)).paidMinor).toBe(10000);
  });

  it('sends reminders at due +1, +7 and +14 days, each level once, as invoice.overdue webhooks', async () => {
    const f = await billedSite();
    const hook = await api()
      .post('/v1/webhooks')
      .set(auth)
      .send({ url: receiverUrl, events: ['*'], site: f.siteId });
    expect(hook.status).toBe(201);
    const [, may, , june] = await f.invoices();
    // Pay April and Acme in full: only May and June stay owed.
    const payments = platform.app.get(PaymentsService);
    for (const [buyer, amount] of [
      [{ type: 'member', id: 'ana' } as const, 12100],
      [{ type: 'company', id: 'acme' } as const, 24200],
    ] as const)
      await payments.record(f.siteId, {
        buyer,
        amountMinor: amount,
        method: 'manual',
        reference: null,
        receivedAt: new Date('2024-05-02T10:00:00Z'),
      });
    const overdue = platform.app.get(OverdueService);
    const levels = async () => {
      const { rows } = await db.query<{ invoice_id: string; level: number }>(
        'SELECT invoice_id, level FROM invoice_reminders WHERE site_id = $1 ORDER BY invoice_id, level',
        [f.siteId],
      );
      return rows.map((r) => `${r.invoice_id}:${r.level}`);
    };

    // June is due 15 July (Madrid): nothing on the 15th, level 1 on the 16th
    clock.set(new Date('2024-07-15T12:00:00Z'), 1);
    const onDue = await overdue.sweep(f.siteId);
    // May (due 15 June) is already 30 days late: it gets level 3 at once, not a backlog of 1 and 2
    expect(onDue.map((s) => [s.invoiceId, s.level])).toEqual([[may.id, 3]]);
    clock.set(new Date('2024-07-16T06:00:00Z'), 1);
    expect((await overdue.sweep(f.siteId)).map((s) => [s.invoiceId, s.level])).toEqual([[june.id, 1]]);
    expect(await overdue.sweep(f.siteId)).toEqual([]);
    clock.set(new Date('2024-07-21T12:00:00Z'), 1);
    expect(await overdue.sweep(f.siteId)).toEqual([]);
    clock.set(new Date('2024-07-22T12:00:00Z'), 1);
    expect((await overdue.sweep(f.siteId)).map((s) => s.level)).toEqual([2]);
    // The daily job: the scheduler's tick queues the sweep, which runs on the job queue
    clock.set(new Date('2024-07-29T12:00:00Z'), 1);
    await platform.app.get(BillingScheduler).tick();
    await waitFor(levels, (l) => l.length === 4);
    expect(await levels()).toEqual([`${may.id}:3`, `${june.id}:1`, `${june.id}:2`, `${june.id}:3`]);
    expect(await overdue.sweep(f.siteId)).toEqual([]);

    const received = await waitFor(
      async () =>
        hooks.filter((h) => h.type === 'invoice.overdue' && [may.id, june.id].includes(h.data.invoiceId)),
      (h) => h.length === 4,
    );
    expect(received.map((h) => `${h.data.invoiceId}:${h.data.level}`).sort()).toEqual(await levels());
    expect(received.find((h) => h.data.invoiceId === june.id)?.data.balanceMinor).toBe(12100);
  });

  it('exports invoices and payments as RFC 4180 CSV with minor units, decimals and currency', async () => {
    const f = await billedSite();
    const [april, , acme] = await f.invoices();
    await platform.app.get(PaymentsService).record(f.siteId, {
      buyer: { type: 'member', id: 'ana' },
      amountMinor: 12150,
      method: 'bank_transfer',
      reference: 'Ref, "quoted"',
      receivedAt: new Date('2024-05-31T23:30:00Z'),
    });
    const csv = await api()
      .get(`/v1/sites/${f.siteId}/exports/invoices.csv?from=2024-05-01&to=2024-07-01`)
      .set(auth);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe(
      'id,kind,series,number,issue_date,due_date,period_start,period_end,buyer_type,buyer_id,buyer_name,buyer_tax_id,' +
        'member_id,company_id,currency,subtotal_minor,tax_minor,total_minor,subtotal,tax,total,corrects_id,note,hash',
    );
    // April's and May's invoices (issued 1 May and 1 June); June's (1 July) is outside [from, to)
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(lines[1]).toMatch(
      new RegExp(
        `^${april.id},invoice,INV,1,2024-05-01,2024-05-15,2024-04-01,2024-05-01,member,ana,Ana,,ana,,EUR,10000,2100,12100,100.00,21.00,121.00,,,[0-9a-f]{64}$`,
      ),
    );
    const all = await api().get(`/v1/sites/${f.siteId}/exports/invoices.csv`).set(auth);
    // The formula-like company name is defused and, holding a comma and quotes, quoted
    const acmeLine = all.text.split('\r\n').find((l) => l.startsWith(`${acme.id},`));
    expect(acmeLine).toContain(
      `company,acme,"'=Acme, ""Ltd""",B-acme,carl,acme,EUR,20000,4200,24200,200.00,42.00,242.00`,
    );

    // 23:30 UTC on 31 May is 1 June in Madrid
    const may = await api()
      .get(`/v1/sites/${f.siteId}/exports/payments.csv?from=2024-05-01&to=2024-06-01`)
      .set(auth);
    expect(may.text.split('\r\n')).toHaveLength(2);
    const june = await api()
      .get(`/v1/sites/${f.siteId}/exports/payments.csv?from=2024-06-01&to=2024-07-01`)
      .set(auth);
    const rows = june.text.split('\r\n');
    expect(rows[0]).toBe(
      'id,received_at,member_id,company_id,guest_booking_id,method,reference,currency,amount_minor,amount,allocated_minor,unallocated_minor,allocations',
    );
    expect(rows[1]).toMatch(
      /^pay_[0-9a-f]+,2024-05-31T23:30:00.000Z,ana,,,bank_transfer,"Ref, ""quoted""",EUR,12150,121.50,12150,0,INV-\d+:12100;INV-\d+:50$/,
    );
    const bad = await api().get(`/v1/sites/${f.siteId}/exports/payments.csv?from=2024-02-30`).set(auth);
    expect(bad.status).toBe(400);
  });
});
