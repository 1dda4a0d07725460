import request from 'supertest';
import { EmbeddedDatabase } from '@cw/database';
import { JobQueue } from '@cw/jobs';
import { MembershipEventMap, MembershipEvents, membershipDailyJob, startOfLocalDate } from '@cw/membership';
import { BorrowedDatabase } from '../support/borrowed-database';
import { openSeededDatabase } from '../support/seeded-database';
import { startPlatform, TestPlatform } from '../support/test-app';
import { admin, localDay, memberWithPlan, newSite, signUp, ZONE } from './membership-fixtures';

const DAY_MS = 86_400_000;

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Resource assignments, offboarding (explicit and by the daily job) on the real embedded database. */
describe('membership: assignments and offboarding', () => {
  let db: EmbeddedDatabase;
  let platform: TestPlatform;
  const offboarded: MembershipEventMap['member.offboarded'][] = [];
  const changed: MembershipEventMap['contract.changed'][] = [];

  beforeAll(async () => {
    db = await openSeededDatabase();
    platform = await startPlatform(new BorrowedDatabase(db), { CLOCK_CONTROL: 'on' });
    await setClock(new Date());
    const events = platform.app.get(MembershipEvents);
    events.on('member.offboarded', (e) => offboarded.push(e));
    events.on('contract.changed', (e) => changed.push(e));
  });

  afterAll(async () => {
    await platform?.close();
    await db?.close();
  });

  const api = () => request(platform.url);
  /** The platform clock, through its public control (CLOCK_CONTROL=on). */
  async function setClock(now: Date): Promise<void> {
    const set = await request(platform.url)
      .put('/v1/clock')
      .set(admin)
      .send({ now: now.toISOString(), speed: 1 });
    expect(set.status).toBe(200);
  }
  const addCredential = (site: string, member: string, id: string) =>
    db.query(
      `INSERT INTO credentials (site_id, id, member_id, kind, value) VALUES ($1, $2, $3, 'card', $4)`,
      [site, id, member, `uid-${site}-${id}`],
    );
  const credential = async (site: string, id: string) =>
    (
      await db.query<{ revoked_at: Date | null; revoke_reason: string | null }>(
        'SELECT revoked_at, revoke_reason FROM credentials WHERE site_id = $1 AND id = $2',
        [site, id],
      )
    ).rows[0];
  const assignments = async (site: string, contract: string) =>
    (await api().get(`/v1/sites/${site}/contracts/${contract}/assignments`).set(admin)).body as {
      id: string;
      resource: string | null;
      item: string | null;
      releasedAt: string | null;
    }[];

  it('a resource has one holder at a time: a second contract gets 409 naming the holder', async () => {
    const site = await newSite(platform);
    const { member } = await memberWithPlan(platform, site);
    await api().put(`/v1/sites/${site}/members/bea`).set(admin).send({ name: 'Bea' });
    await signUp(platform, site, { id: 'c1', member, plan: 'flex', start: localDay(-3) });
    await signUp(platform, site, { id: 'c2', member: 'bea', plan: 'flex', start: localDay(-3) });

    const locker = await api()
      .post(`/v1/sites/${site}/contracts/c1/assignments`)
      .set(admin)
      .send({ id: 'a1', resource: 'locker-1' });
    expect(locker.status).toBe(201);
    expect(locker.body).toMatchObject({
      id: 'a1',
      contract: 'c1',
      member,
      resource: 'locker-1',
      releasedAt: null,
    });
    expect(
      (
        await api()
          .post(`/v1/sites/${site}/contracts/c1/assignments`)
          .set(admin)
          .send({ id: 'a1', resource: 'locker-1' })
      ).status,
    ).toBe(200);

    const taken = await api()
      .post(`/v1/sites/${site}/contracts/c2/assignments`)
      .set(admin)
      .send({ resource: 'locker-1' });
    expect(taken.status).toBe(409);
    expect(taken.body.message).toBe('resource locker-1 is held by contract c1 (assignment a1)');
    const room = await api()
      .post(`/v1/sites/${site}/contracts/c2/assignments`)
      .set(admin)
      .send({ resource: 'room-1' });
    expect(room.status).toBe(400);
    expect(room.body.errors[0].path).toBe('resource');
    const desk = await api()
      .post(`/v1/sites/${site}/contracts/c2/assignments`)
      .set(admin)
      .send({ resource: 'desk-1' });
    expect(desk.status).toBe(400);
    expect(desk.body.errors[0].message).toContain('fixed_desk');
    const both = await api()
      .post(`/v1/sites/${site}/contracts/c2/assignments`)
      .set(admin)
      .send({ resource: 'locker-2', item: 'key 7' });
    expect(both.status).toBe(400);

    // Handed back, the locker is free for the next holder.
    const back = await api().delete(`/v1/sites/${site}/contracts/c1/assignments/a1`).set(admin);
    expect(back.status).toBe(200);
    expect(back.body.releasedAt).not.toBeNull();
    expect(
      (
        await api()
          .post(`/v1/sites/${site}/contracts/c2/assignments`)
          .set(admin)
          .send({ resource: 'locker-1' })
      ).status,
    ).toBe(201);
  });

  it('on a plan change, what is held moves along within a kind and is released at the change across kinds', async () => {
    const site = await newSite(platform);
    const { member } = await memberWithPlan(platform, site);
    await api()
      .put(`/v1/sites/${site}/plans/flex-plus`)
      .set(admin)
      .send({ name: 'Flex plus', kind: 'flex_desk', priceMinor: 24000 });
    await api()
      .put(`/v1/sites/${site}/plans/virtual`)
      .set(admin)
      .send({ name: 'Virtual office', kind: 'virtual_office', priceMinor: 5000 });
    await signUp(platform, site, { id: 'c1', member, plan: 'flex', start: localDay(-20) });
    await api().post(`/v1/sites/${site}/contracts/c1/assignments`).set(admin).send({ resource: 'locker-1' });
    await api().post(`/v1/sites/${site}/contracts/c1/assignments`).set(admin).send({ item: 'key 12' });

    const same = await api()
      .post(`/v1/sites/${site}/contracts/c1/change-plan`)
      .set(admin)
      .send({ plan: 'flex-plus', on: localDay(3), id: 'c2' });
    expect(same.status).toBe(200);
    const changeAt = startOfLocalDate(localDay(3), ZONE).toISOString();
    expect((await assignments(site, 'c1')).map((a) => a.releasedAt)).toEqual([changeAt, changeAt]);
    const moved = await assignments(site, 'c2');
    expect(moved.map((a) => [a.resource, a.item, a.releasedAt])).toEqual(
      expect.arrayContaining([
        ['locker-1', null, null],
        [null, 'key 12', null],
      ]),
    );

    const across = await api()
      .post(`/v1/sites/${site}/contracts/c2/change-plan`)
      .set(admin)
      .send({ plan: 'virtual', on: localDay(10), id: 'c3' });
    expect(across.status).toBe(200);
    const releasedAt = startOfLocalDate(localDay(10), ZONE).toISOString();
    expect((await assignments(site, 'c2')).map((a) => a.releasedAt)).toEqual([releasedAt, releasedAt]);
    expect(await assignments(site, 'c3')).toEqual([]);
  });

  it('explicit offboarding ends the contract, revokes credentials and releases assignments in one go', async () => {
    const site = await newSite(platform);
    const { member } = await memberWithPlan(platform, site);
    await signUp(platform, site, { id: 'c1', member, plan: 'flex', start: localDay(-30) });
    await api()
      .post(`/v1/sites/${site}/contracts/c1/assignments`)
      .set(admin)
      .send({ id: 'a1', resource: 'parking-1' });
    await api()
      .post(`/v1/sites/${site}/contracts/c1/assignments`)
      .set(admin)
      .send({ id: 'a2', item: 'key 3' });
    await addCredential(site, member, 'card-1');
    await addCredential(site, member, 'phone-1');
    offboarded.length = 0;

    const response = await api().post(`/v1/sites/${site}/members/${member}/offboard`).set(admin).send({});
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      member: { id: member, status: 'offboarded' },
      contractsEnded: ['c1'],
      credentialsRevoked: 2,
      assignmentsReleased: expect.arrayContaining(['a1', 'a2']),
    });
    expect((await api().get(`/v1/sites/${site}/contracts/c1`).set(admin)).body).toMatchObject({
      status: 'ended',
      end: localDay(),
      endReason: 'offboarded',
    });
    expect((await assignments(site, 'c1')).every((a) => a.releasedAt !== null)).toBe(true);
    expect(await credential(site, 'card-1')).toMatchObject({ revoke_reason: 'offboarded' });
    expect((await credential(site, 'phone-1')).revoked_at).not.toBeNull();
    expect(offboarded).toEqual([{ siteId: site, memberId: member, at: expect.any(Date) }]);
    const audit = await db.query<{ detail: { reason: string } }>(
      `SELECT detail FROM audit_log WHERE site_id = $1 AND action = 'member.offboarded' AND subject = $2`,
      [site, `member:${member}`],
    );
    expect(audit.rows.map((r) => r.detail.reason)).toEqual(['requested']);

    const again = await api().post(`/v1/sites/${site}/members/${member}/offboard`).set(admin).send({});
    expect(again.body).toMatchObject({ contractsEnded: [], credentialsRevoked: 0, assignmentsReleased: [] });
    expect(offboarded).toHaveLength(1);
  });

  it('the daily job ends contracts whose end has come and offboards members whose last contract ended', async () => {
    const site = await newSite(platform);
    const { member } = await memberWithPlan(platform, site);
    await api().put(`/v1/sites/${site}/members/stays`).set(admin).send({ name: 'Stays' });
    const end = localDay(2);
    await signUp(platform, site, { id: 'c1', member, plan: 'flex', start: localDay(-10), end });
    await signUp(platform, site, { id: 'c2', member: 'stays', plan: 'flex', start: localDay(-10) });
    await api()
      .post(`/v1/sites/${site}/contracts/c1/assignments`)
      .set(admin)
      .send({ id: 'a1', resource: 'locker-2' });
    await addCredential(site, member, 'card-1');
    await addCredential(site, 'stays', 'card-2');
    offboarded.length = 0;
    changed.length = 0;

    // Nothing is due yet.
    const queue = platform.app.get(JobQueue);
    await queue.schedule(membershipDailyJob, { slot: 'today' }, { jobId: `membership-daily-test-${site}-0` });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await api().get(`/v1/sites/${site}/members/${member}`).set(admin)).body.status).toBe('active');

    try {
      await setClock(new Date(Date.now() + 3 * DAY_MS));
      await queue.schedule(
        membershipDailyJob,
        { slot: 'later' },
        { jobId: `membership-daily-test-${site}-1` },
      );
      const member1 = await eventually(
        async () =>
          (await api().get(`/v1/sites/${site}/members/${member}`).set(admin)).body as { status: string },
        (m) => m.status === 'offboarded',
      );
      expect(member1.status).toBe('offboarded');
    } finally {
      await setClock(new Date());
    }
    expect((await api().get(`/v1/sites/${site}/contracts/c1`).set(admin)).body).toMatchObject({
      status: 'ended',
      endReason: 'expired',
      end,
    });
    expect((await assignments(site, 'c1'))[0].releasedAt).toBe(startOfLocalDate(end, ZONE).toISOString());
    expect(await credential(site, 'card-1')).toMatchObject({ revoke_reason: 'offboarded' });
    expect((await credential(site, 'card-2')).revoked_at).toBeNull();
    expect((await api().get(`/v1/sites/${site}/members/stays`).set(admin)).body.status).toBe('active');
    expect(offboarded.filter((e) => e.siteId === site).map((e) => e.memberId)).toEqual([member]);
    expect(changed.filter((e) => e.contract.siteId === site).map((e) => [e.contract.id, e.change])).toEqual([
      ['c1', 'ended'],
    ]);
  });
});
