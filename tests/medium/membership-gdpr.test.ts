import request from 'supertest';
import { ApiKeysService } from '@cw/auth';
import { EmbeddedDatabase } from '@cw/database';
import { BorrowedDatabase } from '../support/borrowed-database';
import { openSeededDatabase } from '../support/seeded-database';
import { startPlatform, TestPlatform } from '../support/test-app';
import { admin, bearer, localDay, memberWithPlan, newSite, signUp } from './membership-fixtures';

type Rows = Record<string, unknown>[];

/** GDPR export and erasure over the API, with the rows other libs write inserted directly. */
describe('membership: GDPR export and erasure', () => {
  let db: EmbeddedDatabase;
  let platform: TestPlatform;

  beforeAll(async () => {
    db = await openSeededDatabase();
    platform = await startPlatform(new BorrowedDatabase(db));
  });

  afterAll(async () => {
    await platform?.close();
    await db?.close();
  });

  const api = () => request(platform.url);
  const hour = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

  /** Ana (contract, locker, card, booking and its charge, credits, a voucher, an invoice, a payment, door events) and Bob. */
  async function populate(site: string) {
    const { member } = await memberWithPlan(platform, site, 'ana');
    await api()
      .put(`/v1/sites/${site}/members/bob`)
      .set(admin)
      .send({ name: 'Bob', email: 'bob@example.test' });
    expect(
      (await signUp(platform, site, { id: 'c1', member, plan: 'flex', start: localDay(-40) })).status,
    ).toBe(201);
    await api()
      .post(`/v1/sites/${site}/contracts/c1/assignments`)
      .set(admin)
      .send({ id: 'a1', resource: 'locker-1' });
    const q = (sql: string, params: unknown[]) => db.query(sql, [site, ...params]);
    await q(
      `INSERT INTO credentials (site_id, id, member_id, kind, value, issued_at) VALUES
         ($1, 'card-ana', 'ana', 'card', 'UID-ANA', now() - interval '30 days'),
         ($1, 'card-bob', 'bob', 'card', 'UID-BOB', now() - interval '30 days')`,
      [],
    );
    await q(
      `INSERT INTO bookings (site_id, id, resource_id, member_id, start_at, end_at, status, source)
       VALUES ($1, 'bk-ana', 'room-1', 'ana', $2, $3, 'ended', 'api')`,
      [hour(30), hour(29)],
    );
    await q(
      `INSERT INTO booking_charges (site_id, booking_id, member_id, currency, price_minor, credits_minor, charge_minor)
       VALUES ($1, 'bk-ana', 'ana', 'EUR', 3000, 2000, 1000)`,
      [],
    );
    await q(
      `INSERT INTO credit_ledger (site_id, member_id, contract_id, period_start, amount_minor, entry, booking_id) VALUES
         ($1, 'ana', 'c1', date_trunc('month', now())::date, 5000, 'grant', NULL),
         ($1, 'ana', 'c1', date_trunc('month', now())::date, -2000, 'spend', 'bk-ana')`,
      [],
    );
    await q(
      `INSERT INTO vouchers (site_id, code, kind, initial, balance, expires_at, member_id, redeemed_at)
       VALUES ($1, 'GIFT-ANA', 'money', 2000, 1500, now() + interval '30 days', 'ana', now())`,
      [],
    );
    await q(
      `INSERT INTO voucher_spends (site_id, code, booking_id, amount) VALUES ($1, 'GIFT-ANA', 'bk-ana', 500)`,
      [],
    );
    await q(
      `INSERT INTO invoices (site_id, id, series, number, kind, member_id, buyer, currency, issue_date, due_date,
         subtotal_minor, tax_minor, total_minor, hash)
       VALUES ($1, 'inv-1', 'A', 1, 'invoice', 'ana', $2::jsonb, 'EUR', $3::date, $3::date + 15, 19000, 3990, 22990, 'h1')`,
      [JSON.stringify({ name: 'Member ana', email: 'ana@example.test', address: 'Calle 1' }), localDay(-10)],
    );
    await q(
      `INSERT INTO invoice_lines (site_id, invoice_id, line_no, kind, description, unit_minor, amount_minor, tax_rate_bp,
         tax_minor, contract_id) VALUES ($1, 'inv-1', 1, 'membership', 'Flex desk', 19000, 19000, 2100, 3990, 'c1')`,
      [],
    );
    await q(
      `INSERT INTO payments (site_id, id, member_id, amount_minor, currency, method, received_at)
       VALUES ($1, 'pay-1', 'ana', 22990, 'EUR', 'bank_transfer', now())`,
      [],
    );
    await q(
      `INSERT INTO payment_allocations (site_id, payment_id, invoice_id, amount_minor) VALUES ($1, 'pay-1', 'inv-1', 22990)`,
      [],
    );
    // Door events: one naming Ana, one carrying only her card, and Bob's.
    await q(
      `INSERT INTO door_events (ts, site_id, door_id, event_id, credential, member_id, result, device_ts, received_at) VALUES
         ($2, $1, 'door-main', 'e1', 'UID-ANA', 'ana', 'granted', $2, $2),
         ($3, $1, 'door-main', 'e2', 'UID-ANA', NULL, 'denied', $3, $3),
         ($3, $1, 'door-main', 'e3', 'UID-BOB', 'bob', 'granted', $3, $3)`,
      [hour(5), hour(4)],
    );
    // The KPI store's copy of Ana's entrance, and Bob's.
    await q(
      `INSERT INTO kpi_member_entries (ts, site_id, member_id, local_date) VALUES
         ($2, $1, 'ana', ($2::timestamptz AT TIME ZONE 'Europe/Madrid')::date),
         ($2, $1, 'bob', ($2::timestamptz AT TIME ZONE 'Europe/Madrid')::date)`,
      [hour(5)],
    );
    return member;
  }

  it('the export holds everything about the member and nothing about others; a member key exports itself only', async () => {
    const site = await newSite(platform);
    const member = await populate(site);
    const { token } = await platform.app
      .get(ApiKeysService)
      .create({ name: 'ana', role: 'member', siteId: site, memberId: member });

    const response = await api().get(`/v1/sites/${site}/members/${member}/export`).set(bearer(token));
    expect(response.status).toBe(200);
    const doc = response.body as Record<string, unknown> & { member: Record<string, unknown> };
    expect(doc).toMatchObject({
      site,
      member: { id: 'ana', name: 'Member ana', email: 'ana@example.test', phone: '+34 600 000 001' },
    });
    const ids = (key: string, field = 'id') => (doc[key] as Rows).map((r) => r[field]);
    expect(ids('contracts')).toEqual(['c1']);
    expect((doc.contracts as Rows)[0]).toMatchObject({
      planId: 'flex',
      priceMinor: 19000,
      startDate: localDay(-40),
    });
    expect(ids('assignments')).toEqual(['a1']);
    expect(ids('credentials')).toEqual(['card-ana']);
    expect(ids('bookings')).toEqual(['bk-ana']);
    expect(doc.bookingCharges).toEqual([
      expect.objectContaining({ bookingId: 'bk-ana', chargeMinor: 1000, creditsMinor: 2000 }),
    ]);
    expect(ids('creditLedger', 'entry')).toEqual(['grant', 'spend']);
    expect(doc.vouchers).toEqual([
      expect.objectContaining({
        code: 'GIFT-ANA',
        balance: 1500,
        spends: [expect.objectContaining({ amount: 500 })],
      }),
    ]);
    expect(doc.invoices).toEqual([
      expect.objectContaining({
        id: 'inv-1',
        totalMinor: 22990,
        lines: [expect.objectContaining({ description: 'Flex desk' })],
      }),
    ]);
    expect(doc.payments).toEqual([
      expect.objectContaining({
        id: 'pay-1',
        allocations: [expect.objectContaining({ invoiceId: 'inv-1' })],
      }),
    ]);
    expect(ids('doorEvents', 'eventId')).toEqual(['e1', 'e2']);
    expect(ids('apiKeys')).toHaveLength(1);
    expect(JSON.stringify(doc)).not.toContain('UID-BOB');
    expect(JSON.stringify(doc)).not.toContain('bob@example.test');

    expect((await api().get(`/v1/sites/${site}/members/bob/export`).set(bearer(token))).status).toBe(403);
    expect(
      (await api().post(`/v1/sites/${site}/members/${member}/erase`).set(bearer(token)).send({})).status,
    ).toBe(403);
    const audit = await db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE site_id = $1 AND subject = 'member:ana' AND action = 'member.exported'`,
      [site],
    );
    expect(audit.rows).toHaveLength(1);
  });

  it('erasure removes personal fields and pseudonymises door events, while invoices and contracts stay', async () => {
    const site = await newSite(platform);
    const member = await populate(site);
    const invoiceBefore = (
      await db.query('SELECT * FROM invoices WHERE site_id = $1 AND id = $2', [site, 'inv-1'])
    ).rows[0];
    await platform.app
      .get(ApiKeysService)
      .create({ name: 'ana', role: 'member', siteId: site, memberId: member });

    const erased = await api().post(`/v1/sites/${site}/members/${member}/erase`).set(admin).send({});
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({
      alreadyErased: false,
      credentialsPseudonymised: 1,
      doorEventsPseudonymised: 2,
      kpiEntriesPseudonymised: 1,
      apiKeysRevoked: 1,
    });
    const m = erased.body.member;
    expect(m).toMatchObject({
      id: 'ana',
      status: 'erased',
      email: null,
      phone: null,
      address: null,
      taxId: null,
    });
    expect(m.name).toMatch(/^erased-[0-9a-f]{16}$/);
    expect(m.erasedAt).not.toBeNull();

    // Offboarded on the way: the contract ended today, the locker is free, the card no longer opens anything.
    const contract = (await api().get(`/v1/sites/${site}/contracts/c1`).set(admin)).body;
    expect(contract).toMatchObject({
      member: 'ana',
      status: 'ended',
      endReason: 'offboarded',
      priceMinor: 19000,
    });
    const card = (
      await db.query<{ value: string; revoked_at: Date | null }>(
        'SELECT value, revoked_at FROM credentials WHERE site_id = $1 AND id = $2',
        [site, 'card-ana'],
      )
    ).rows[0];
    expect(card.revoked_at).not.toBeNull();
    expect(card.value).toMatch(/^erased-[0-9a-f]{16}$/);
    const assignment = (
      await db.query<{ released_at: Date | null }>(
        'SELECT released_at FROM resource_assignments WHERE site_id = $1 AND id = $2',
        [site, 'a1'],
      )
    ).rows[0];
    expect(assignment.released_at).not.toBeNull();

    const doors = (
      await db.query<{ event_id: string; credential: string; member_id: string | null }>(
        'SELECT event_id, credential, member_id FROM door_events WHERE site_id = $1 ORDER BY event_id',
        [site],
      )
    ).rows;
    expect(doors.map((d) => d.event_id)).toEqual(['e1', 'e2', 'e3']);
    expect(doors[0]).toEqual({ event_id: 'e1', credential: card.value, member_id: m.name });
    expect(doors[1]).toEqual({ event_id: 'e2', credential: card.value, member_id: null });
    expect(doors[2]).toEqual({ event_id: 'e3', credential: 'UID-BOB', member_id: 'bob' });
    const leftovers = await db.query(
      `SELECT 1 FROM door_events WHERE site_id = $1 AND (member_id = 'ana' OR credential = 'UID-ANA')`,
      [site],
    );
    expect(leftovers.rows).toHaveLength(0);
    // The KPI entries follow the pseudonym, and their day is queued for the KPI job to re-derive the visits aggregate.
    const entries = (
      await db.query<{ member_id: string }>(
        'SELECT member_id FROM kpi_member_entries WHERE site_id = $1 ORDER BY member_id',
        [site],
      )
    ).rows.map((r) => r.member_id);
    expect(entries).toEqual(['bob', m.name].sort());
    const dirty = await db.query('SELECT 1 FROM kpi_dirty_days WHERE site_id = $1', [site]);
    expect(dirty.rows).toHaveLength(1);

    // The invoice is exactly as issued, buyer snapshot included; the member's own key is revoked.
    const invoiceAfter = (
      await db.query('SELECT * FROM invoices WHERE site_id = $1 AND id = $2', [site, 'inv-1'])
    ).rows[0];
    expect(invoiceAfter).toEqual(invoiceBefore);
    expect((invoiceAfter as { buyer: { email: string } }).buyer.email).toBe('ana@example.test');
    const keys = await db.query<{ revoked_at: Date | null }>(
      'SELECT revoked_at FROM api_keys WHERE member_id = $1 AND site_id = $2',
      [member, site],
    );
    expect(keys.rows.map((k) => k.revoked_at !== null)).toEqual([true]);

    const bob = (await api().get(`/v1/sites/${site}/members/bob`).set(admin)).body;
    expect(bob).toMatchObject({ name: 'Bob', email: 'bob@example.test', status: 'active' });
    const actions = await db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE site_id = $1 AND subject = 'member:ana' ORDER BY id`,
      [site],
    );
    expect(actions.rows.map((r) => r.action)).toEqual(['member.offboarded', 'member.erased']);

    // Erasing again changes nothing; an erased member cannot be filled in again or sign up.
    const again = await api().post(`/v1/sites/${site}/members/${member}/erase`).set(admin).send({});
    expect(again.body).toMatchObject({ alreadyErased: true, member: { name: m.name } });
    expect(
      (await api().put(`/v1/sites/${site}/members/${member}`).set(admin).send({ name: 'Ana again' })).status,
    ).toBe(409);
    expect((await signUp(platform, site, { member, plan: 'flex', start: localDay(5) })).status).toBe(409);
  });
});
