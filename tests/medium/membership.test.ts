import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import request from 'supertest';
import { ApiKeysService } from '@cw/auth';
import { EmbeddedDatabase } from '@cw/database';
import { BorrowedDatabase } from '../support/borrowed-database';
import { openSeededDatabase } from '../support/seeded-database';
import { startPlatform, TestPlatform } from '../support/test-app';
import { admin, bearer, flexPlan, localDay, memberWithPlan, newSite, signUp } from './membership-fixtures';

const paths = (body: unknown) => (body as { errors?: { path: string }[] }).errors?.map((e) => e.path) ?? [];

/** Companies, members, plans and contracts over the API, on the real embedded database. */
describe('membership: directory, plans and contracts', () => {
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
  const count = async (sql: string, params: unknown[]) =>
    Number((await db.query<{ n: string }>(sql, params)).rows[0].n);

  it('companies and members: PUT is idempotent (201 then 200), the billing contact must belong to the company', async () => {
    const site = await newSite(platform);
    const company = { name: 'Acme SL', taxId: 'B12345678', address: 'Gran Via 1' };
    expect((await api().put(`/v1/sites/${site}/companies/acme`).set(admin).send(company)).status).toBe(201);
    expect((await api().put(`/v1/sites/${site}/companies/acme`).set(admin).send(company)).status).toBe(200);

    const ana = { name: 'Ana', email: 'ana@acme.test', company: 'acme', team: 'Design' };
    const created = await api().put(`/v1/sites/${site}/members/ana`).set(admin).send(ana);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'ana', company: 'acme', team: 'Design', status: 'active' });
    expect((await api().put(`/v1/sites/${site}/members/ana`).set(admin).send(ana)).status).toBe(200);
    expect(
      (await api().put(`/v1/sites/${site}/members/loner`).set(admin).send({ name: 'Loner' })).status,
    ).toBe(201);

    const notInCompany = await api()
      .put(`/v1/sites/${site}/companies/acme`)
      .set(admin)
      .send({ ...company, billingMember: 'loner' });
    expect(notInCompany.status).toBe(400);
    expect(notInCompany.body.errors).toEqual([
      { path: 'billingMember', message: 'member loner does not belong to company acme' },
    ]);
    const billed = await api()
      .put(`/v1/sites/${site}/companies/acme`)
      .set(admin)
      .send({ ...company, billingMember: 'ana' });
    expect(billed.status).toBe(200);
    expect(billed.body.billingMember).toBe('ana');

    const detail = await api().get(`/v1/sites/${site}/companies/acme`).set(admin);
    expect(detail.body).toMatchObject({ id: 'acme', members: ['ana'], teams: ['Design'] });
    const members = await api().get(`/v1/sites/${site}/members?company=acme`).set(admin);
    expect((members.body as { id: string }[]).map((m) => m.id)).toEqual(['ana']);

    const unknownCompany = await api()
      .put(`/v1/sites/${site}/members/bob`)
      .set(admin)
      .send({ name: 'Bob', company: 'nope' });
    expect(unknownCompany.status).toBe(400);
    expect(paths(unknownCompany.body)).toEqual(['company']);
    const sameEmail = await api()
      .put(`/v1/sites/${site}/members/bob`)
      .set(admin)
      .send({ name: 'Bob', email: 'ANA@acme.test' });
    expect(sameEmail.status).toBe(409);
    expect(await count('SELECT count(*) AS n FROM members WHERE site_id = $1', [site])).toBe(2);
  });

  it('plans: a negative price is a 400 naming the field, pass fields follow the kind', async () => {
    const site = await newSite(platform);
    const negative = await api()
      .put(`/v1/sites/${site}/plans/cheap`)
      .set(admin)
      .send({ ...flexPlan, priceMinor: -1 });
    expect(negative.status).toBe(400);
    expect(negative.body.errors).toEqual([{ path: 'priceMinor', message: 'must not be negative' }]);

    const pass = await api()
      .put(`/v1/sites/${site}/plans/day`)
      .set(admin)
      .send({ name: 'Day pass', kind: 'day_pass', priceMinor: 2500, passMinutes: 60 });
    expect(pass.status).toBe(400);
    expect(paths(pass.body).sort()).toEqual(['passDays', 'passMinutes', 'passValidDays']);

    const created = await api()
      .put(`/v1/sites/${site}/plans/day`)
      .set(admin)
      .send({ name: 'Day pass', kind: 'day_pass', priceMinor: 2500, passDays: 1, passValidDays: 30 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'day_pass', period: 'once', passDays: 1, passValidDays: 30 });
    expect(
      (
        await api()
          .put(`/v1/sites/${site}/plans/flex`)
          .set(admin)
          .send({
            ...flexPlan,
            bookableKinds: ['meeting_room'],
            accessHours: [{ day: 'mon', open: '08:00', close: '20:00' }],
          })
      ).status,
    ).toBe(201);
    const again = await api()
      .put(`/v1/sites/${site}/plans/flex`)
      .set(admin)
      .send({ ...flexPlan, priceMinor: 21000 });
    expect(again.status).toBe(200);
    expect(again.body.priceMinor).toBe(21000);
    const list = await api().get(`/v1/sites/${site}/plans`).set(admin);
    expect((list.body as { id: string }[]).map((p) => p.id)).toEqual(['day', 'flex']);
    expect(await count('SELECT count(*) AS n FROM plans WHERE site_id = $1', [site])).toBe(2);
  });

  it('sign-up snapshots the price; an unknown plan or a pass plan is a 400 on the plan field', async () => {
    const site = await newSite(platform);
    const { member } = await memberWithPlan(platform, site);
    const start = localDay(-10);
    const signed = await signUp(platform, site, { id: 'c1', member, plan: 'flex', start });
    expect(signed.status).toBe(201);
    expect(signed.body).toMatchObject({
      id: 'c1',
      member,
      plan: 'flex',
      priceMinor: 19000,
      start,
      end: null,
      noticeDays: 30,
      status: 'active',
      phase: 'running',
      endReason: null,
    });
    expect(signed.body.currentTerm.start <= localDay()).toBe(true);
    expect((await signUp(platform, site, { id: 'c1', member, plan: 'flex', start })).status).toBe(200);

    await api()
      .put(`/v1/sites/${site}/plans/flex`)
      .set(admin)
      .send({ ...flexPlan, priceMinor: 25000 });
    expect((await api().get(`/v1/sites/${site}/contracts/c1`).set(admin)).body.priceMinor).toBe(19000);

    const unknown = await signUp(platform, site, { member, plan: 'gold', start: localDay(400) });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ message: 'unknown plan gold', errors: [{ path: 'plan' }] });
    await api()
      .put(`/v1/sites/${site}/plans/day`)
      .set(admin)
      .send({ name: 'Day pass', kind: 'day_pass', priceMinor: 2500, passDays: 1, passValidDays: 30 });
    const pass = await signUp(platform, site, { member, plan: 'day', start: localDay(400) });
    expect(pass.status).toBe(400);
    expect(pass.body.errors[0]).toEqual({
      path: 'plan',
      message: 'a day_pass is sold as a pass, not signed as a contract',
    });
    const nobody = await signUp(platform, site, { member: 'ghost', plan: 'flex', start: localDay(400) });
    expect(nobody.status).toBe(400);
    expect(paths(nobody.body)).toEqual(['member']);
    expect(await count('SELECT count(*) AS n FROM contracts WHERE site_id = $1', [site])).toBe(1);
  });

  it('an overlapping contract is refused with 409 naming the one in the way, and nothing is written', async () => {
    const site = await newSite(platform);
    const { member } = await memberWithPlan(platform, site);
    expect(
      (
        await signUp(platform, site, {
          id: 'c1',
          member,
          plan: 'flex',
          start: localDay(-5),
          end: localDay(60),
        })
      ).status,
    ).toBe(201);
    const audit = await count('SELECT count(*) AS n FROM audit_log WHERE site_id = $1', [site]);

    const overlap = await signUp(platform, site, { id: 'c2', member, plan: 'flex', start: localDay(30) });
    expect(overlap.status).toBe(409);
    expect(overlap.body.message).toBe(
      `member ${member} already has contract c1 (${localDay(-5)} to ${localDay(60)}); a member holds one contract at a time`,
    );
    expect(await count('SELECT count(*) AS n FROM contracts WHERE site_id = $1', [site])).toBe(1);
    expect(await count('SELECT count(*) AS n FROM audit_log WHERE site_id = $1', [site])).toBe(audit);

    // Back to back is no overlap: the end is exclusive.
    expect(
      (await signUp(platform, site, { id: 'c2', member, plan: 'flex', start: localDay(60) })).status,
    ).toBe(201);

    // Two sign-ups for the same days at once: exactly one wins.
    await api().put(`/v1/sites/${site}/members/bea`).set(admin).send({ name: 'Bea' });
    const racing = await Promise.all(
      ['r1', 'r2'].map((id) =>
        signUp(platform, site, { id, member: 'bea', plan: 'flex', start: localDay(1) }),
      ),
    );
    expect(racing.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(
      await count('SELECT count(*) AS n FROM contracts WHERE site_id = $1 AND member_id = $2', [site, 'bea']),
    ).toBe(1);
  });

  it('plan change ends one contract and starts the next on the same day: no gap, no overlap, one transaction', async () => {
    const site = await newSite(platform);
    const { member } = await memberWithPlan(platform, site);
    await api()
      .put(`/v1/sites/${site}/plans/fixed`)
      .set(admin)
      .send({ name: 'Fixed desk', kind: 'fixed_desk', priceMinor: 29000 });
    expect(
      (await signUp(platform, site, { id: 'c1', member, plan: 'flex', start: localDay(-40) })).status,
    ).toBe(201);
    const on = localDay(5);

    // A failing second half (the new id is taken) leaves the first contract untouched.
    await api().put(`/v1/sites/${site}/members/other`).set(admin).send({ name: 'Other' });
    await signUp(platform, site, { id: 'taken', member: 'other', plan: 'flex', start: localDay(-1) });
    const failed = await api()
      .post(`/v1/sites/${site}/contracts/c1/change-plan`)
      .set(admin)
      .send({ plan: 'fixed', on, id: 'taken' });
    expect(failed.status).toBe(409);
    const untouched = await api().get(`/v1/sites/${site}/contracts/c1`).set(admin);
    expect(untouched.body).toMatchObject({ end: null, endReason: null, replacedBy: null });

    const changed = await api()
      .post(`/v1/sites/${site}/contracts/c1/change-plan`)
      .set(admin)
      .send({ plan: 'fixed', on, id: 'c2' });
    expect(changed.status).toBe(200);
    expect(changed.body.ended).toMatchObject({
      id: 'c1',
      end: on,
      endReason: 'plan_change',
      replacedBy: 'c2',
      status: 'active',
    });
    expect(changed.body.next).toMatchObject({
      id: 'c2',
      plan: 'fixed',
      start: on,
      end: null,
      priceMinor: 29000,
      phase: 'upcoming',
    });

    const chain = await api().get(`/v1/sites/${site}/members/${member}/contracts`).set(admin);
    expect(
      (chain.body as { id: string; start: string; end: string | null }[]).map((c) => [c.id, c.start, c.end]),
    ).toEqual([
      ['c1', localDay(-40), on],
      ['c2', on, null],
    ]);
    const before = await api()
      .post(`/v1/sites/${site}/contracts/c2/change-plan`)
      .set(admin)
      .send({ plan: 'flex', on });
    expect(before.status).toBe(400);
    expect(paths(before.body)).toEqual(['on']);
    const again = await api()
      .post(`/v1/sites/${site}/contracts/c1/change-plan`)
      .set(admin)
      .send({ plan: 'flex', on: localDay(2) });
    expect(again.status).toBe(409);
    expect(
      await count(
        `SELECT count(*) AS n FROM audit_log WHERE site_id = $1 AND action = 'contract.plan_changed'`,
        [site],
      ),
    ).toBe(1);
  });

  it('cancellation follows the notice; a contract that has not begun is cancelled outright; fixed terms renew', async () => {
    const site = await newSite(platform);
    const { member } = await memberWithPlan(platform, site);
    await signUp(platform, site, { id: 'c1', member, plan: 'flex', start: localDay(-100), noticeDays: 30 });
    const cancelled = await api()
      .post(`/v1/sites/${site}/contracts/c1/cancel`)
      .set(admin)
      .send({ on: localDay(3) });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({
      end: localDay(30),
      endReason: 'cancelled',
      status: 'active',
      phase: 'running',
    });
    expect(cancelled.body.noticeGivenAt).not.toBeNull();

    await api().put(`/v1/sites/${site}/members/bea`).set(admin).send({ name: 'Bea' });
    await signUp(platform, site, { id: 'c2', member: 'bea', plan: 'flex', start: localDay(10) });
    const voided = await api().post(`/v1/sites/${site}/contracts/c2/cancel`).set(admin).send({});
    expect(voided.body).toMatchObject({ status: 'cancelled', endReason: 'cancelled', phase: 'cancelled' });
    // A voided contract holds no time: the member may sign for the same days again.
    expect(
      (
        await signUp(platform, site, {
          id: 'c3',
          member: 'bea',
          plan: 'flex',
          start: localDay(10),
          end: localDay(40),
        })
      ).status,
    ).toBe(201);

    const renewed = await api()
      .post(`/v1/sites/${site}/contracts/c3/renew`)
      .set(admin)
      .send({ until: localDay(100) });
    expect(renewed.status).toBe(200);
    expect(renewed.body.end).toBe(localDay(100));
    const backwards = await api()
      .post(`/v1/sites/${site}/contracts/c3/renew`)
      .set(admin)
      .send({ until: localDay(50) });
    expect(backwards.status).toBe(400);
    expect(paths(backwards.body)).toEqual(['until']);
    const openEnded = await api()
      .post(`/v1/sites/${site}/contracts/c1/renew`)
      .set(admin)
      .send({ until: localDay(300) });
    expect(openEnded.status).toBe(409);
  });

  it('a contract signed wholly in the past is over at once, and its member offboarded', async () => {
    const site = await newSite(platform);
    const { member } = await memberWithPlan(platform, site);
    const past = await signUp(platform, site, {
      id: 'old',
      member,
      plan: 'flex',
      start: localDay(-90),
      end: localDay(-30),
    });
    expect(past.status).toBe(201);
    expect(past.body).toMatchObject({ status: 'ended', endReason: 'expired', phase: 'ended' });
    const read = await api().get(`/v1/sites/${site}/members/${member}`).set(admin);
    expect(read.body.status).toBe('offboarded');
    // A returning member signs again and is active once more.
    expect((await signUp(platform, site, { member, plan: 'flex', start: localDay() })).status).toBe(201);
    expect((await api().get(`/v1/sites/${site}/members/${member}`).set(admin)).body).toMatchObject({
      status: 'active',
      offboardedAt: null,
    });
  });

  it('a member key reads itself (member, /v1/me, own contracts) and gets 403 for another member', async () => {
    const site = await newSite(platform);
    const { member } = await memberWithPlan(platform, site);
    await api().put(`/v1/sites/${site}/members/other`).set(admin).send({ name: 'Other' });
    await signUp(platform, site, { id: 'mine', member, plan: 'flex', start: localDay() });
    await signUp(platform, site, { id: 'theirs', member: 'other', plan: 'flex', start: localDay() });
    const { token } = await platform.app
      .get(ApiKeysService)
      .create({ name: 'ana app', role: 'member', siteId: site, memberId: member });
    const as = bearer(token);

    expect((await api().get(`/v1/sites/${site}/members/${member}`).set(as)).body.id).toBe(member);
    expect((await api().get('/v1/me').set(as)).body).toMatchObject({ id: member, site });
    expect((await api().get(`/v1/sites/${site}/contracts/mine`).set(as)).status).toBe(200);
    expect((await api().get(`/v1/sites/${site}/members/${member}/contracts`).set(as)).body).toHaveLength(1);

    expect((await api().get(`/v1/sites/${site}/members/other`).set(as)).status).toBe(403);
    expect((await api().get(`/v1/sites/${site}/members/other/contracts`).set(as)).status).toBe(403);
    expect((await api().get(`/v1/sites/${site}/contracts/theirs`).set(as)).status).toBe(403);
    expect((await api().get(`/v1/sites/${site}/members`).set(as)).status).toBe(403);
    expect((await api().post(`/v1/sites/${site}/contracts/mine/cancel`).set(as).send({})).status).toBe(403);
    expect((await api().get('/v1/me').set(admin)).status).toBe(403);
  });

  it('OpenAPI describes the membership routes', () => {
    const doc = SwaggerModule.createDocument(platform.app, new DocumentBuilder().addBearerAuth().build());
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/sites/{site}/companies/{id}',
        '/v1/sites/{site}/members/{id}',
        '/v1/me',
        '/v1/sites/{site}/plans/{id}',
        '/v1/sites/{site}/contracts',
        '/v1/sites/{site}/contracts/{id}/change-plan',
        '/v1/sites/{site}/contracts/{id}/cancel',
        '/v1/sites/{site}/contracts/{id}/renew',
        '/v1/sites/{site}/contracts/{id}/assignments',
        '/v1/sites/{site}/contracts/{id}/assignments/{assignment}',
        '/v1/sites/{site}/members/{id}/offboard',
        '/v1/sites/{site}/members/{id}/export',
        '/v1/sites/{site}/members/{id}/erase',
      ]),
    );
    const put = doc.paths['/v1/sites/{site}/plans/{id}'].put!;
    expect(put.tags).toEqual(['membership']);
    expect(put.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(put.responses)).toEqual(expect.arrayContaining(['200', '201', '400']));
  });
});
