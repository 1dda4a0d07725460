import request from 'supertest';
import { MqttClient } from 'mqtt';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { addDays, localDate, zonedInstant } from '@cw/access';
import { ApiKeysService } from '@cw/auth';
import { EmbeddedDatabase } from '@cw/database';
import { DoorGrantsMessage } from '@cw/events';
import { BorrowedDatabase } from '../support/borrowed-database';
import { siteDocument, uniqueId } from '../support/factories';
import { connectPublisher, waitFor } from '../support/mqtt-client';
import { openSeededDatabase } from '../support/seeded-database';
import { ADMIN_TOKEN, startPlatform, TestPlatform } from '../support/test-app';

const TZ = 'Europe/Madrid';
const WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const everyDay = (open: string, close: string) => WEEK.map((day) => ({ day, open, close }));

/**
 * Access decisions, credentials, zones and the grants export on the embedded default. Members, plans, contracts,
 * bookings and passes are written with SQL (the tables of migration 0006), so these tests depend on the access
 * rules alone. Times are local times of a day two days ago in Madrid: in the past, so a decision never waits on the
 * clock, and recent, so ingest stores its door event.
 */
describe('access', () => {
  let db: EmbeddedDatabase;
  let platform: TestPlatform;
  const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  const api = () => request(platform.url);
  const day = addDays(localDate(Date.now(), TZ), -2);
  /** An instant at local `hh:mm` of `date` in Madrid, as ISO. */
  const local = (hhmm: string, date = day) =>
    new Date(zonedInstant(date, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5)), TZ)).toISOString();

  beforeAll(async () => {
    db = await openSeededDatabase();
    platform = await startPlatform(new BorrowedDatabase(db), { INGEST_FLUSH_MS: '10' });
  });

  afterAll(async () => {
    await platform?.close();
    await db?.close();
  });

  /** A site of its own, with the factory's doors (door-main serves nothing, door-room-1 serves room-1). */
  const newSite = async () => {
    const site = uniqueId('acc').replace(/[^a-zA-Z0-9_-]/g, '');
    await platform.putSite(site, siteDocument({ timeZone: TZ, openingHours: everyDay('07:00', '22:00') }));
    return site;
  };

  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    db.query<T>(text, params);

  const addMember = async (site: string, member: string) =>
    sql(`INSERT INTO members (site_id, id, name) VALUES ($1, $2, $3)`, [site, member, `Member ${member}`]);

  const addPlan = async (site: string, plan: string, zones: string[], hours: unknown[] = []) =>
    sql(
      `INSERT INTO plans (site_id, id, name, kind, price_minor, period, access_zones, access_hours)
       VALUES ($1, $2, $3, 'flex_desk', 20000, 'month', $4::text[], $5::jsonb)`,
      [site, plan, `Plan ${plan}`, zones, JSON.stringify(hours)],
    );

  const addContract = async (
    site: string,
    member: string,
    plan: string,
    start: string,
    end: string | null = null,
  ) =>
    sql(
      `INSERT INTO contracts (site_id, id, member_id, plan_id, price_minor, start_date, end_date)
       VALUES ($1, $2, $3, $4, 20000, $5::date, $6::date)`,
      [site, uniqueId('ct').replace(/[^a-zA-Z0-9_-]/g, ''), member, plan, start, end],
    );

  const putZone = (site: string, zone: string, doors: string[]) =>
    api()
      .put(`/v1/sites/${site}/access-zones/${zone}`)
      .set(auth)
      .send({ name: `Zone ${zone}`, doors });

  const issue = async (site: string, member: string, value: string, kind = 'card') => {
    const response = await api()
      .post(`/v1/sites/${site}/members/${member}/credentials`)
      .set(auth)
      .send({ kind, value });
    expect(response.status).toBe(201);
    return response.body as { id: string; value: string };
  };

  const decide = async (site: string, credential: string, door: string, at?: string) => {
    const response = await api()
      .post('/v1/access/decide')
      .set(auth)
      .send({ site, credential, door, ...(at ? { at } : {}) });
    expect(response.status).toBe(200);
    return response.body as {
      decision: string;
      reason: string;
      member?: string;
      until?: string;
      message: string;
    };
  };

  /** A member holding a contract on plan hours 08:00-20:00 whose zone holds the entrance, with one card. */
  const contractHolder = async (site: string, member = 'm1', card = `card-${member}`) => {
    await putZone(site, 'z-main', ['door-main']).expect(201);
    await addPlan(site, 'flex', ['z-main'], everyDay('08:00', '20:00'));
    await addMember(site, member);
    await addContract(site, member, 'flex', addDays(day, -10));
    await issue(site, member, card);
    return card;
  };

  it('documents every access route in OpenAPI, under the access tag, with bearer auth', async () => {
    type Operation = { tags?: string[]; security?: unknown[] };
    // the same document the api process serves at /docs-json (libs/runtime configureHttpApp)
    const doc = SwaggerModule.createDocument(
      platform.app,
      new DocumentBuilder().addBearerAuth().build(),
    ) as unknown as {
      paths: Record<string, Record<string, Operation>>;
    };
    const routes: [string, string[]][] = [
      ['/v1/access/decide', ['post']],
      ['/v1/sites/{site}/access-zones', ['get']],
      ['/v1/sites/{site}/access-zones/{zone}', ['get', 'put', 'delete']],
      ['/v1/sites/{site}/members/{member}/credentials', ['get', 'post']],
      ['/v1/sites/{site}/members/{member}/credentials/{credential}', ['delete']],
      ['/v1/sites/{site}/access-settings', ['get', 'put']],
      ['/v1/sites/{site}/access-grants', ['get']],
    ];
    for (const [path, methods] of routes) {
      expect([path, Object.keys(doc.paths[path] ?? {}).sort()]).toEqual([path, [...methods].sort()]);
      for (const method of methods) {
        expect(doc.paths[path][method].tags).toEqual(['access']);
        expect(doc.paths[path][method].security).toEqual([{ bearer: [] }]);
      }
    }
  });

  describe('zones', () => {
    it('hold door devices of the site only, and read back', async () => {
      const site = await newSite();
      const created = await putZone(site, 'z1', ['door-main', 'door-room-1']);
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ site, id: 'z1', name: 'Zone z1', doors: ['door-main', 'door-room-1'] });
      expect((await putZone(site, 'z1', ['door-main'])).status).toBe(200);
      expect((await api().get(`/v1/sites/${site}/access-zones/z1`).set(auth)).body.doors).toEqual([
        'door-main',
      ]);

      const sensor = await putZone(site, 'z2', ['door-main', 'pir-room-1', 'no-such-door']);
      expect(sensor.status).toBe(400);
      expect((sensor.body as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual([
        'doors.1',
        'doors.2',
      ]);
      expect((await api().get(`/v1/sites/${site}/access-zones/z2`).set(auth)).status).toBe(404);
      const other = await newSite();
      expect((await putZone(other, 'z1', ['door-main'])).status).toBe(201);
      expect((await putZone(site, 'z3', [])).status).toBe(201);
      expect(
        (await api().put(`/v1/sites/${site}/access-zones/z4`).set(auth).send({ doors: [] })).status,
      ).toBe(400);
    });
  });

  describe('credentials', () => {
    it('are issued once per active value, listed, and revoked with a reason', async () => {
      const site = await newSite();
      await addMember(site, 'm1');
      await addMember(site, 'm2');
      const card = await issue(site, 'm1', 'UID-0001');
      const twice = await api()
        .post(`/v1/sites/${site}/members/m2/credentials`)
        .set(auth)
        .send({ kind: 'card', value: 'UID-0001' });
      expect(twice.status).toBe(409);
      expect(twice.body.errors).toEqual([{ path: 'value', message: 'already active' }]);
      const badPin = await api()
        .post(`/v1/sites/${site}/members/m1/credentials`)
        .set(auth)
        .send({ kind: 'pin', value: '12a' });
      expect(badPin.status).toBe(400);
      expect(badPin.body.errors[0].path).toBe('value');
      expect(
        (
          await api()
            .post(`/v1/sites/${site}/members/nobody/credentials`)
            .set(auth)
            .send({ kind: 'card', value: 'X-1' })
        ).status,
      ).toBe(404);

      const revoked = await api()
        .delete(`/v1/sites/${site}/members/m1/credentials/${card.id}`)
        .set(auth)
        .send({ reason: 'card lost' });
      expect(revoked.status).toBe(200);
      expect(revoked.body).toMatchObject({ id: card.id, revokeReason: 'card lost' });
      expect(revoked.body.revokedAt).toEqual(expect.any(String));
      // the value is free again once revoked
      await issue(site, 'm2', 'UID-0001');
      const listed = await api().get(`/v1/sites/${site}/members/m1/credentials`).set(auth);
      expect(listed.body).toHaveLength(1);
      expect(listed.body[0]).toMatchObject({
        id: card.id,
        member: 'm1',
        kind: 'card',
        revokeReason: 'card lost',
      });
    });

    it("may be read by the member's own key only", async () => {
      const site = await newSite();
      await addMember(site, 'm1');
      await addMember(site, 'm2');
      await issue(site, 'm1', 'UID-A');
      const keys = platform.app.get(ApiKeysService);
      const { token } = await keys.create({
        name: 'member m1',
        role: 'member',
        siteId: site,
        memberId: 'm1',
      });
      const mine = await api()
        .get(`/v1/sites/${site}/members/m1/credentials`)
        .set('Authorization', `Bearer ${token}`);
      expect(mine.status).toBe(200);
      expect(mine.body).toHaveLength(1);
      const theirs = await api()
        .get(`/v1/sites/${site}/members/m2/credentials`)
        .set('Authorization', `Bearer ${token}`);
      expect(theirs.status).toBe(403);
      const decideAsMember = await api()
        .post('/v1/access/decide')
        .set('Authorization', `Bearer ${token}`)
        .send({ credential: 'UID-A', door: 'door-main' });
      expect(decideAsMember.status).toBe(403);
    });
  });

  describe('decisions', () => {
    it('grant by contract zone inside the plan hours and deny outside them, in local time', async () => {
      const site = await newSite();
      const card = await contractHolder(site);
      const inside = await decide(site, card, 'door-main', local('10:00'));
      expect(inside).toMatchObject({
        decision: 'grant',
        reason: 'contract_zone',
        member: 'm1',
        until: local('20:00'),
      });
      expect((await decide(site, card, 'door-main', local('07:59'))).reason).toBe('outside_hours');
      expect(await decide(site, card, 'door-main', local('20:00'))).toMatchObject({
        decision: 'deny',
        reason: 'outside_hours',
        member: 'm1',
      });
      // door-room-1 is in no zone of the plan
      expect((await decide(site, card, 'door-room-1', local('10:00'))).reason).toBe('no_entitlement');
      expect((await decide(site, 'UNKNOWN-CARD', 'door-main', local('10:00'))).reason).toBe(
        'unknown_credential',
      );
    });

    it('take the site from a device key, refuse other sites and unknown doors', async () => {
      const site = await newSite();
      const card = await contractHolder(site);
      const device = await platform.createKey('device', site);
      const byDevice = await api()
        .post('/v1/access/decide')
        .set('Authorization', `Bearer ${device}`)
        .send({ credential: card, door: 'door-main', at: local('12:00') });
      expect(byDevice.status).toBe(200);
      expect(byDevice.body.decision).toBe('grant');
      const other = await newSite();
      const elsewhere = await api()
        .post('/v1/access/decide')
        .set('Authorization', `Bearer ${device}`)
        .send({ site: other, credential: card, door: 'door-main' });
      expect(elsewhere.status).toBe(403);
      const unknownDoor = await api()
        .post('/v1/access/decide')
        .set(auth)
        .send({ site, credential: card, door: 'nope' });
      expect(unknownDoor.status).toBe(404);
      const noSite = await api()
        .post('/v1/access/decide')
        .set(auth)
        .send({ credential: card, door: 'door-main' });
      expect(noSite.status).toBe(400);
      expect(noSite.body.errors).toEqual([{ path: 'site', message: expect.any(String) }]);
      const badTime = await api()
        .post('/v1/access/decide')
        .set(auth)
        .send({ site, credential: card, door: 'door-main', at: 'yesterday' });
      expect(badTime.status).toBe(400);
      expect(badTime.body.errors[0].path).toBe('at');
    });

    it("grant a booker the door serving the booked room within the slot plus margin, and nobody else's", async () => {
      const site = await newSite();
      await addMember(site, 'booker');
      await addMember(site, 'other');
      const card = (await issue(site, 'booker', 'CARD-BOOKER')).value;
      const otherCard = await issue(site, 'other', 'CARD-OTHER');
      await sql(
        `INSERT INTO bookings (site_id, id, resource_id, member_id, start_at, end_at, status, source)
         VALUES ($1, 'bk-1', 'room-1', 'booker', $2, $3, 'confirmed', 'api')`,
        [site, local('10:00'), local('11:00')],
      );
      expect(await decide(site, card, 'door-room-1', local('09:45'))).toMatchObject({
        decision: 'grant',
        reason: 'booking_slot',
        until: local('11:15'),
      });
      expect((await decide(site, card, 'door-room-1', local('11:15'))).decision).toBe('grant');
      expect((await decide(site, card, 'door-room-1', local('09:44'))).reason).toBe('outside_hours');
      expect((await decide(site, card, 'door-room-1', local('11:16'))).decision).toBe('deny');
      expect(await decide(site, otherCard.value, 'door-room-1', local('10:30'))).toMatchObject({
        decision: 'deny',
        reason: 'no_entitlement',
        member: 'other',
      });
      // the booking does not open the entrance, which serves no room
      expect((await decide(site, card, 'door-main', local('10:30'))).decision).toBe('deny');

      // a wider margin for the site
      const settings = await api()
        .put(`/v1/sites/${site}/access-settings`)
        .set(auth)
        .send({ bookingMarginMinutes: 30 });
      expect(settings.body).toEqual({ site, bookingMarginMinutes: 30 });
      expect((await decide(site, card, 'door-room-1', local('09:31'))).decision).toBe('grant');
      await sql(`UPDATE bookings SET status = 'cancelled' WHERE site_id = $1 AND id = 'bk-1'`, [site]);
      expect((await decide(site, card, 'door-room-1', local('10:30'))).decision).toBe('deny');
    });

    it('spend a day pass once per local day, whatever the number of requests', async () => {
      const site = await newSite();
      await addMember(site, 'walker');
      const card = (await issue(site, 'walker', 'CARD-WALKER')).value;
      await sql(
        `INSERT INTO vouchers (site_id, code, kind, initial, balance, expires_at, member_id)
         VALUES ($1, 'DAYPASS-1', 'day_pass', 3, 3, $2, 'walker')`,
        [site, new Date(Date.now() + 30 * 86_400_000).toISOString()],
      );
      const balance = async () =>
        Number(
          (
            await sql<{ balance: number }>(
              `SELECT balance FROM vouchers WHERE site_id = $1 AND code = 'DAYPASS-1'`,
              [site],
            )
          ).rows[0].balance,
        );
      const spends = async () =>
        (
          await sql(
            `SELECT access_date::text AS d, amount FROM voucher_spends WHERE site_id = $1 AND code = 'DAYPASS-1'
             ORDER BY access_date`,
            [site],
          )
        ).rows;

      const first = await decide(site, card, 'door-main', local('09:00'));
      expect(first).toMatchObject({ decision: 'grant', reason: 'day_pass', until: local('22:00') });
      // the same local day again, several times at once: nothing more is spent
      const again = await Promise.all(
        ['09:30', '12:00', '21:59'].map((t) => decide(site, card, 'door-main', local(t))),
      );
      expect(again.map((d) => d.reason)).toEqual(['day_pass', 'day_pass', 'day_pass']);
      expect(await balance()).toBe(2);
      // the next local day, many requests at once: one day spent
      const next = addDays(day, 1);
      const burst = await Promise.all(
        ['08:00', '08:01', '08:02', '08:03'].map((t) => decide(site, card, 'door-main', local(t, next))),
      );
      expect(burst.every((d) => d.decision === 'grant')).toBe(true);
      expect(await balance()).toBe(1);
      // outside opening hours nothing is spent
      const third = addDays(day, 2);
      expect((await decide(site, card, 'door-main', local('06:00', third))).reason).toBe('outside_hours');
      expect(await balance()).toBe(1);
      expect((await decide(site, card, 'door-main', local('10:00', third))).decision).toBe('grant');
      expect(await spends()).toEqual([
        { d: day, amount: 1 },
        { d: next, amount: 1 },
        { d: third, amount: 1 },
      ]);
      // with no day left, the next day's door stays shut
      expect((await decide(site, card, 'door-main', local('10:00', addDays(day, 3)))).reason).toBe(
        'no_entitlement',
      );
      expect(await balance()).toBe(0);
    });

    it('deny a revoked credential, and the next request of a member who was offboarded', async () => {
      const site = await newSite();
      const card = await contractHolder(site, 'leaver', 'CARD-LEAVER');
      await addMember(site, 'lost');
      const lost = await issue(site, 'lost', 'CARD-LOST');
      await api()
        .delete(`/v1/sites/${site}/members/lost/credentials/${lost.id}`)
        .set(auth)
        .send({ reason: 'stolen' });
      const revoked = await decide(site, 'CARD-LOST', 'door-main', local('10:00'));
      expect(revoked).toMatchObject({ decision: 'deny', reason: 'revoked', member: 'lost' });
      expect(revoked.message).toContain('stolen');

      expect((await decide(site, card, 'door-main', local('10:00'))).decision).toBe('grant');
      // offboarding as DESIGN.md describes it, in one transaction: status, then every credential revoked
      await db.transaction(async (tx) => {
        await tx.query(
          `UPDATE members SET status = 'offboarded', offboarded_at = now() WHERE site_id = $1 AND id = 'leaver'`,
          [site],
        );
        await tx.query(
          `UPDATE credentials SET revoked_at = now(), revoke_reason = 'offboarded'
            WHERE site_id = $1 AND member_id = 'leaver' AND revoked_at IS NULL`,
          [site],
        );
      });
      expect(await decide(site, card, 'door-main', local('10:01'))).toMatchObject({
        decision: 'deny',
        reason: 'offboarded',
        member: 'leaver',
      });
      const refused = await api()
        .post(`/v1/sites/${site}/members/leaver/credentials`)
        .set(auth)
        .send({ kind: 'card', value: 'CARD-NEW' });
      expect(refused.status).toBe(409);
    });

    it('store every decision as a door event through ingest', async () => {
      const site = await newSite();
      const card = await contractHolder(site, 'm1', 'CARD-LOGGED');
      const made = [
        await decide(site, card, 'door-main', local('10:00')),
        await decide(site, card, 'door-main', local('21:00')),
        await decide(site, 'NOBODY', 'door-room-1', local('10:05')),
        await decide(site, card, 'door-main'),
      ];
      const rows = await waitFor(
        async () =>
          (
            await sql(
              `SELECT ts, door_id, credential, member_id, result, method, reason, resource_ids FROM door_events
                WHERE site_id = $1 ORDER BY ts`,
              [site],
            )
          ).rows as {
            ts: Date;
            door_id: string;
            credential: string;
            member_id: string | null;
            result: string;
            method: string;
            reason: string;
            resource_ids: string[];
          }[],
        (found) => found.length >= made.length,
      );
      expect(rows.map((r) => [r.door_id, r.credential, r.member_id, r.result, r.method, r.reason])).toEqual([
        ['door-main', card, 'm1', 'granted', 'decide', 'contract_zone'],
        ['door-room-1', 'NOBODY', null, 'denied', 'decide', 'unknown_credential'],
        ['door-main', card, 'm1', 'denied', 'decide', 'outside_hours'],
        [
          'door-main',
          card,
          'm1',
          made[3].decision === 'grant' ? 'granted' : 'denied',
          'decide',
          made[3].reason,
        ],
      ]);
      expect(new Date(rows[0].ts).toISOString()).toBe(local('10:00'));
      expect(rows[1].resource_ids).toEqual(['room-1']);
    });
    it('check the booker in when the door of the booked room lets them in (no-show evidence)', async () => {
      const site = await newSite();
      await addMember(site, 'booker');
      const card = (await issue(site, 'booker', 'CARD-CHECKIN')).value;
      const start = new Date(Date.now() + 2 * 60_000);
      await sql(
        `INSERT INTO bookings (site_id, id, resource_id, member_id, start_at, end_at, status, source)
         VALUES ($1, 'bk-now', 'room-1', 'booker', $2, $3, 'confirmed', 'api')`,
        [site, start.toISOString(), new Date(start.getTime() + 3_600_000).toISOString()],
      );
      expect(await decide(site, card, 'door-room-1')).toMatchObject({
        decision: 'grant',
        reason: 'booking_slot',
      });
      const status = await waitFor(
        async () =>
          (
            await sql<{ status: string }>(
              `SELECT status FROM bookings WHERE site_id = $1 AND id = 'bk-now'`,
              [site],
            )
          ).rows[0].status,
        (value) => value === 'checked_in',
      );
      expect(status).toBe('checked_in');
    });
  });

  describe('grants', () => {
    it('export contracts as local hours per day, bookings with margins and spent passes, in UTC', async () => {
      const site = await newSite();
      const card = await contractHolder(site, 'm1', 'CARD-M1');
      await addMember(site, 'booker');
      await issue(site, 'booker', 'CARD-BOOKER');
      await sql(
        `INSERT INTO bookings (site_id, id, resource_id, member_id, start_at, end_at, status, source)
         VALUES ($1, 'bk-1', 'room-1', 'booker', $2, $3, 'confirmed', 'api')`,
        [site, local('15:00'), local('16:00')],
      );
      await addMember(site, 'walker');
      await issue(site, 'walker', 'CARD-WALKER');
      await sql(
        `INSERT INTO vouchers (site_id, code, kind, initial, balance, expires_at, member_id)
         VALUES ($1, 'DP-1', 'day_pass', 1, 0, $2, 'walker')`,
        [site, new Date(Date.now() + 86_400_000).toISOString()],
      );
      await sql(
        `INSERT INTO voucher_spends (site_id, code, access_date, amount) VALUES ($1, 'DP-1', $2::date, 1)`,
        [site, day],
      );
      // an offboarded member's contract exports nothing
      await addMember(site, 'gone');
      await addContract(site, 'gone', 'flex', addDays(day, -10));
      await issue(site, 'gone', 'CARD-GONE');
      await sql(`UPDATE members SET status = 'offboarded' WHERE site_id = $1 AND id = 'gone'`, [site]);

      const from = local('00:00');
      const to = local('00:00', addDays(day, 2));
      const response = await api().get(`/v1/sites/${site}/access-grants?from=${from}&to=${to}`).set(auth);
      expect(response.status).toBe(200);
      expect(response.body).toEqual([
        {
          credential: 'CARD-BOOKER',
          member: 'booker',
          doors: ['door-room-1'],
          from: local('14:45'),
          to: local('16:15'),
          source: 'booking',
        },
        {
          credential: card,
          member: 'm1',
          doors: ['door-main'],
          from: local('08:00'),
          to: local('20:00'),
          source: 'contract',
        },
        {
          credential: card,
          member: 'm1',
          doors: ['door-main'],
          from: local('08:00', addDays(day, 1)),
          to: local('20:00', addDays(day, 1)),
          source: 'contract',
        },
        {
          credential: 'CARD-WALKER',
          member: 'walker',
          doors: ['door-main', 'door-room-1'],
          from: local('07:00'),
          to: local('22:00'),
          source: 'day_pass',
        },
      ]);
      const tooLong = await api()
        .get(`/v1/sites/${site}/access-grants?from=${from}&to=${local('00:00', addDays(day, 40))}`)
        .set(auth);
      expect(tooLong.status).toBe(400);
    });

    it('are retained on MQTT per door and republished when a credential is issued or revoked', async () => {
      const site = await newSite();
      await putZone(site, 'z-all', ['door-main']).expect(201);
      await addPlan(site, 'allday', ['z-all'], everyDay('00:00', '24:00'));
      await addMember(site, 'm1');
      await addContract(site, 'm1', 'allday', addDays(day, -10));
      const messages: DoorGrantsMessage[] = [];
      const client: MqttClient = await connectPublisher(
        platform.mqtt.url,
        await platform.createKey('device', site),
      );
      try {
        client.on('message', (_topic, payload) =>
          messages.push(JSON.parse(payload.toString()) as DoorGrantsMessage),
        );
        await client.subscribeAsync(`cw/${site}/access/grants/+`, { qos: 1 });
        const card = await issue(site, 'm1', 'CARD-MQTT');
        const withCard = await waitFor(
          async () =>
            messages.filter(
              (m) => m.doorId === 'door-main' && m.grants.some((g) => g.credential === card.value),
            ),
          (found) => found.length > 0,
        );
        expect(withCard.length).toBeGreaterThan(0);
        const message = withCard[withCard.length - 1];
        expect(message).toMatchObject({ siteId: site, doorId: 'door-main' });
        expect(Date.parse(message.to) - Date.parse(message.from)).toBe(48 * 3_600_000);
        expect(message.grants[0]).toMatchObject({
          credential: 'CARD-MQTT',
          member: 'm1',
          source: 'contract',
        });
        expect(Date.parse(message.grants[0].from)).toBeLessThanOrEqual(Date.now());

        // a client connecting later receives the retained grants at once
        const late = await connectPublisher(platform.mqtt.url, await platform.createKey('integration', site));
        try {
          const retained: { topic: string; grants: DoorGrantsMessage }[] = [];
          late.on('message', (topic, payload, packet) => {
            if (packet.retain)
              retained.push({ topic, grants: JSON.parse(payload.toString()) as DoorGrantsMessage });
          });
          await late.subscribeAsync(`cw/${site}/access/grants/door-main`, { qos: 1 });
          const heard = await waitFor(
            async () => retained,
            (found) => found.length > 0,
            5000,
          );
          expect(heard[0].topic).toBe(`cw/${site}/access/grants/door-main`);
          expect(heard[0].grants.grants.map((g) => g.credential)).toEqual(['CARD-MQTT']);
        } finally {
          await late.endAsync(true);
        }

        await api().delete(`/v1/sites/${site}/members/m1/credentials/${card.id}`).set(auth).send({});
        const emptied = await waitFor(
          async () => messages.filter((m) => m.doorId === 'door-main' && m.grants.length === 0),
          (found) => found.length > 0,
        );
        expect(emptied.length).toBeGreaterThan(0);
      } finally {
        await client.endAsync(true);
      }
    });

    it('follow offboarding by the membership service: the next request is denied and the grants drop the member', async () => {
      const site = await newSite();
      await putZone(site, 'z-all', ['door-main']).expect(201);
      await addPlan(site, 'allday', ['z-all'], everyDay('00:00', '24:00'));
      await addMember(site, 'leaver');
      await addContract(site, 'leaver', 'allday', addDays(day, -10));
      await addMember(site, 'stayer');
      await addContract(site, 'stayer', 'allday', addDays(day, -10));
      const messages: DoorGrantsMessage[] = [];
      const client: MqttClient = await connectPublisher(
        platform.mqtt.url,
        await platform.createKey('device', site),
      );
      try {
        client.on('message', (_topic, payload) =>
          messages.push(JSON.parse(payload.toString()) as DoorGrantsMessage),
        );
        await client.subscribeAsync(`cw/${site}/access/grants/door-main`, { qos: 1 });
        const leaving = (await issue(site, 'leaver', 'CARD-LEAVING')).value;
        const staying = (await issue(site, 'stayer', 'CARD-STAYING')).value;
        const credentialsIn = (m: DoorGrantsMessage) =>
          [...new Set(m.grants.map((g) => g.credential))].sort();
        await waitFor(
          async () => messages.map(credentialsIn),
          (lists) => lists.some((list) => list.join() === [leaving, staying].join()),
        );
        expect((await decide(site, leaving, 'door-main')).decision).toBe('grant');

        const offboarded = await api().post(`/v1/sites/${site}/members/leaver/offboard`).set(auth).send({});
        expect(offboarded.status).toBe(200);
        expect(await decide(site, leaving, 'door-main')).toMatchObject({
          decision: 'deny',
          reason: 'offboarded',
          member: 'leaver',
        });
        expect((await decide(site, staying, 'door-main')).decision).toBe('grant');
        const after = await waitFor(
          async () => messages.map(credentialsIn),
          (lists) => lists[lists.length - 1]?.join() === staying,
        );
        expect(after[after.length - 1]).toEqual([staying]);
      } finally {
        await client.endAsync(true);
      }
    });
  });
});
