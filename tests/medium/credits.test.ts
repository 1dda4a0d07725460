import request from 'supertest';
import { VouchersService } from '@cw/credits';
import { EmbeddedDatabase } from '@cw/database';
import { BorrowedDatabase } from '../support/borrowed-database';
import { count, insertMember, insertPlan, memberKey, pricedSite } from '../support/credits-fixtures';
import { uniqueId } from '../support/factories';
import { openSeededDatabase } from '../support/seeded-database';
import { ADMIN_TOKEN, startPlatform, TestPlatform } from '../support/test-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/** Vouchers, passes and the credit ledger over the API, against the embedded TimescaleDB. */
describe('credits, vouchers and passes', () => {
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
    site = uniqueId('cr').replace(/[^a-zA-Z0-9_-]/g, '');
    await platform.putSite(site, pricedSite());
    await insertPlan(platform.db, site, { id: 'flex', includedCreditsMinor: 3000 });
    await insertPlan(platform.db, site, {
      id: 'day3',
      name: '3-day pass',
      kind: 'day_pass',
      period: 'once',
      priceMinor: 4500,
      passDays: 3,
      passValidDays: 30,
    });
    await insertMember(platform.db, site, 'm1', { planId: 'flex' });
    await insertMember(platform.db, site, 'm2');
  });

  const issue = (body: Record<string, unknown>) =>
    api().post(`/v1/sites/${site}/vouchers`).set(auth).send(body);

  describe('issuing', () => {
    it('issues one code or a batch, each with its balance and expiry', async () => {
      const expiresAt = inDays(30);
      const one = await issue({ kind: 'money', value: 2500, expiresAt, code: 'WELCOME-25' });
      expect(one.status).toBe(201);
      expect(one.body.codes).toEqual(['WELCOME-25']);

      const batch = await issue({
        kind: 'hour_pack',
        value: 600,
        expiresAt,
        count: 25,
        prefix: 'SPRING-',
        batchId: 'spring',
      });
      expect(batch.status).toBe(201);
      expect(new Set(batch.body.codes as string[]).size).toBe(25);
      for (const code of batch.body.codes as string[]) expect(code).toMatch(/^SPRING-/);

      const read = await api().get(`/v1/sites/${site}/vouchers/WELCOME-25`).set(auth);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({
        code: 'WELCOME-25',
        kind: 'money',
        unit: 'minor',
        initial: 2500,
        balance: 2500,
        expired: false,
        member: null,
        spends: [],
      });
      const listed = await api().get(`/v1/sites/${site}/vouchers?batch=spring`).set(auth);
      expect(listed.body).toHaveLength(25);
    });

    it('refuses bad input with field paths and a taken code with 409, writing nothing', async () => {
      const bad = await issue({ kind: 'gift', value: -1, expiresAt: 'tomorrow', count: 0 });
      expect(bad.status).toBe(400);
      expect((bad.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual([
        'count',
        'expiresAt',
        'kind',
        'value',
      ]);
      const past = await issue({
        kind: 'money',
        value: 100,
        expiresAt: new Date(Date.now() - 1000).toISOString(),
      });
      expect(past.status).toBe(400);
      expect(past.body.errors).toEqual([{ path: 'expiresAt', message: 'must be in the future' }]);
      expect((await issue({ kind: 'money', value: 100, expiresAt: inDays(1), code: 'TAKEN1' })).status).toBe(
        201,
      );
      const again = await issue({ kind: 'money', value: 999, expiresAt: inDays(1), code: 'TAKEN1' });
      expect(again.status).toBe(409);
      expect(await count(platform.db, 'SELECT count(*) AS n FROM vouchers WHERE site_id = $1', [site])).toBe(
        1,
      );
    });
  });

  describe('redeeming', () => {
    it('binds a code to a member once; a second redemption is a conflict', async () => {
      await issue({ kind: 'money', value: 1000, expiresAt: inDays(10), code: 'ONCE-ONLY' });
      const first = await api()
        .post(`/v1/sites/${site}/vouchers/ONCE-ONLY/redeem`)
        .set(auth)
        .send({ member: 'm1' });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ member: 'm1', balance: 1000 });
      const second = await api()
        .post(`/v1/sites/${site}/vouchers/ONCE-ONLY/redeem`)
        .set(auth)
        .send({ member: 'm1' });
      expect(second.status).toBe(409);
      expect(second.body.message).toMatch(/already been redeemed/);
      const unknown = await api()
        .post(`/v1/sites/${site}/vouchers/NOPE-NOPE/redeem`)
        .set(auth)
        .send({ member: 'm1' });
      expect(unknown.status).toBe(404);
    });

    it('lets exactly one of two concurrent redemptions win', async () => {
      await issue({ kind: 'money', value: 1000, expiresAt: inDays(10), code: 'RACE-CODE' });
      const results = await Promise.all(
        ['m1', 'm2'].map((member) =>
          api().post(`/v1/sites/${site}/vouchers/RACE-CODE/redeem`).set(auth).send({ member }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = results.find((r) => r.status === 200)!.body.member;
      const stored = await api().get(`/v1/sites/${site}/vouchers/RACE-CODE`).set(auth);
      expect(stored.body.member).toBe(winner);
    });

    it('refuses an expired code with the reason and leaves it unbound', async () => {
      await issue({
        kind: 'money',
        value: 1000,
        expiresAt: new Date(Date.now() + 1500).toISOString(),
        code: 'SHORT-LIVED',
      });
      await sleep(1600);
      const late = await api()
        .post(`/v1/sites/${site}/vouchers/SHORT-LIVED/redeem`)
        .set(auth)
        .send({ member: 'm1' });
      expect(late.status).toBe(409);
      expect(late.body.message).toMatch(/expired at .* and cannot be redeemed/);
      const stored = await api().get(`/v1/sites/${site}/vouchers/SHORT-LIVED`).set(auth);
      expect(stored.body).toMatchObject({ member: null, expired: true, balance: 1000 });
    });

    it('lets a member key redeem for itself only and read only its own vouchers', async () => {
      const key = await memberKey(platform, site, 'm2');
      const member = { Authorization: `Bearer ${key}` };
      await issue({ kind: 'money', value: 1000, expiresAt: inDays(10), code: 'SELF-SERVE' });
      await issue({ kind: 'money', value: 1000, expiresAt: inDays(10), code: 'NOT-YOURS' });
      await api().post(`/v1/sites/${site}/vouchers/NOT-YOURS/redeem`).set(auth).send({ member: 'm1' });

      const own = await api().post(`/v1/sites/${site}/vouchers/SELF-SERVE/redeem`).set(member).send({});
      expect(own.status).toBe(200);
      expect(own.body.member).toBe('m2');
      const forOther = await api()
        .post(`/v1/sites/${site}/vouchers/SELF-SERVE/redeem`)
        .set(member)
        .send({ member: 'm1' });
      expect(forOther.status).toBe(403);
      expect((await api().get(`/v1/sites/${site}/vouchers/NOT-YOURS`).set(member)).status).toBe(404);
      const listed = await api().get(`/v1/sites/${site}/vouchers`).set(member);
      expect((listed.body as { code: string }[]).map((v) => v.code)).toEqual(['SELF-SERVE']);
      expect((await api().post(`/v1/sites/${site}/vouchers`).set(member).send({})).status).toBe(403);
    });
  });

  describe('passes', () => {
    it('sells a day pass: the member holds it and a one-off charge waits for billing, together', async () => {
      const sold = await api().post(`/v1/sites/${site}/members/m2/passes`).set(auth).send({ plan: 'day3' });
      expect(sold.status).toBe(201);
      expect(sold.body).toMatchObject({
        kind: 'day_pass',
        unit: 'days',
        initial: 3,
        balance: 3,
        member: 'm2',
        plan: 'day3',
      });
      expect(new Date(sold.body.expiresAt as string).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
      const { rows } = await platform.db.query<{ id: string; description: string; amount_minor: number }>(
        'SELECT id, description, amount_minor FROM one_off_charges WHERE site_id = $1 AND member_id = $2',
        [site, 'm2'],
      );
      expect(rows).toEqual([
        { id: sold.body.charge, description: 'Day pass: 3-day pass', amount_minor: 4500 },
      ]);
    });

    it('refuses a plan that is not a pass, an unknown plan and an offboarded member, selling nothing', async () => {
      const notPass = await api()
        .post(`/v1/sites/${site}/members/m2/passes`)
        .set(auth)
        .send({ plan: 'flex' });
      expect(notPass.status).toBe(400);
      expect(notPass.body.errors[0].path).toBe('plan');
      expect(
        (await api().post(`/v1/sites/${site}/members/m2/passes`).set(auth).send({ plan: 'nope' })).status,
      ).toBe(400);
      await platform.db.query(`UPDATE members SET status = 'offboarded' WHERE site_id = $1 AND id = 'm2'`, [
        site,
      ]);
      expect(
        (await api().post(`/v1/sites/${site}/members/m2/passes`).set(auth).send({ plan: 'day3' })).status,
      ).toBe(403);
      expect(await count(platform.db, 'SELECT count(*) AS n FROM vouchers WHERE site_id = $1', [site])).toBe(
        0,
      );
      expect(
        await count(platform.db, 'SELECT count(*) AS n FROM one_off_charges WHERE site_id = $1', [site]),
      ).toBe(0);
    });

    it('spends one day of a day pass per local date, however often the door asks', async () => {
      const sold = await api().post(`/v1/sites/${site}/members/m2/passes`).set(auth).send({ plan: 'day3' });
      const vouchers = platform.app.get(VouchersService);
      const first = await vouchers.spendDayPass(site, 'm2', '2026-05-04');
      expect(first).toEqual({ outcome: 'spent', code: sold.body.code, remainingDays: 2 });
      expect(await vouchers.spendDayPass(site, 'm2', '2026-05-04')).toEqual({
        outcome: 'already_spent',
        code: sold.body.code,
      });
      const racing = await Promise.all([1, 2, 3].map(() => vouchers.spendDayPass(site, 'm2', '2026-05-05')));
      expect(racing.filter((r) => r.outcome === 'spent')).toHaveLength(1);
      expect(racing.filter((r) => r.outcome === 'already_spent')).toHaveLength(2);
      const read = await api().get(`/v1/sites/${site}/vouchers/${sold.body.code}`).set(auth);
      expect(read.body.balance).toBe(1);
      expect((read.body.spends as { accessDate: string }[]).map((s) => s.accessDate)).toEqual([
        '2026-05-04',
        '2026-05-05',
      ]);
      expect(await vouchers.spendDayPass(site, 'm2', '2026-05-06')).toMatchObject({
        outcome: 'spent',
        remainingDays: 0,
      });
      expect(await vouchers.spendDayPass(site, 'm2', '2026-05-07')).toEqual({
        outcome: 'none',
        reason: 'no day pass with days left',
      });
      expect(await vouchers.spendDayPass(site, 'm1', '2026-05-07')).toMatchObject({ outcome: 'none' });
    });
  });

  describe('credit ledger', () => {
    it('grants the plan credits once per period, on first look', async () => {
      const first = await api().get(`/v1/sites/${site}/members/m1/credits`).set(auth);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        member: 'm1',
        currency: 'EUR',
        grantedMinor: 3000,
        balanceMinor: 3000,
      });
      expect(first.body.period.start).toMatch(/^\d{4}-\d{2}-01$/);
      await Promise.all([1, 2, 3].map(() => api().get(`/v1/sites/${site}/members/m1/credits`).set(auth)));
      expect(
        await count(
          platform.db,
          `SELECT count(*) AS n FROM credit_ledger WHERE site_id = $1 AND entry = 'grant'`,
          [site],
        ),
      ).toBe(1);
      const other = await api().get(`/v1/sites/${site}/members/m1/credits?period=2021-03`).set(auth);
      expect(other.body).toMatchObject({
        period: { start: '2021-03-01', end: '2021-04-01' },
        balanceMinor: 3000,
      });
      const before = await api().get(`/v1/sites/${site}/members/m1/credits?period=2019-12`).set(auth);
      expect(before.body.balanceMinor).toBe(0);
      const none = await api().get(`/v1/sites/${site}/members/m2/credits`).set(auth);
      expect(none.body).toMatchObject({ grantedMinor: 0, balanceMinor: 0, entries: [] });
    });

    it('lets a member key read its own credits and no one else', async () => {
      const key = { Authorization: `Bearer ${await memberKey(platform, site, 'm1')}` };
      expect((await api().get(`/v1/sites/${site}/members/m1/credits`).set(key)).status).toBe(200);
      expect((await api().get(`/v1/sites/${site}/members/m2/credits`).set(key)).status).toBe(403);
      expect((await api().get(`/v1/sites/${site}/members/nobody/credits`).set(auth)).status).toBe(404);
      expect((await api().get(`/v1/sites/${site}/members/m1/credits?period=2026-13`).set(auth)).status).toBe(
        400,
      );
    });
  });
});
