import { ChurnDailyJob, ChurnService, shiftDay } from '@cw/churn';
import { EmbeddedDatabase } from '@cw/database';
import { setPlatformClock } from '@cw/simulators';
import { BorrowedDatabase } from '../support/borrowed-database';
import {
  deskSiteDocument,
  insertContract,
  insertInvoice,
  insertMember,
  insertPlan,
} from '../support/churn-fixtures';
import { uniqueId } from '../support/factories';
import { openSeededDatabase } from '../support/seeded-database';
import { ADMIN_TOKEN, startPlatform, TestPlatform } from '../support/test-app';

const TODAY = '2026-06-01';

interface RiskBody {
  scoredOn: string;
  members: Array<{
    memberId: string;
    score: number;
    factors: Array<{ factor: string; contribution: number; value: Record<string, unknown> }>;
  }>;
  unscored: Array<{ memberId: string; reason: string }>;
}

/**
 * The churn-risk API and daily scores on a small site: a steady member, a fading one who gave notice and owes an
 * invoice, a member too new to judge, one whose contract is over, and one whose door reports only the card.
 */
describe('churn risk', () => {
  let db: EmbeddedDatabase;
  let platform: TestPlatform;
  const site = uniqueId('churn');

  const get = (path: string, token = ADMIN_TOKEN) =>
    fetch(`${platform.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const risk = async (query = '') => {
    const response = await get(`/v1/sites/${site}/churn-risk${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as RiskBody;
  };

  beforeAll(async () => {
    db = await openSeededDatabase();
    platform = await startPlatform(new BorrowedDatabase(db), { CLOCK_CONTROL: 'on' });
    // 10:00 in Madrid on 1 June 2026
    await setPlatformClock(platform.url, ADMIN_TOKEN, new Date('2026-06-01T08:00:00Z'), 1);
    await platform.putSite(site, deskSiteDocument(6));
    await insertPlan(db, site, { id: 'flex', kind: 'flex_desk', priceMinor: 20000 });
    for (const id of ['steady', 'fading', 'newbie', 'gone', 'cardonly']) await insertMember(db, site, { id });
    const since = (
      memberId: string,
      start: string,
      extra: Partial<Parameters<typeof insertContract>[2]> = {},
    ) =>
      insertContract(db, site, {
        id: `c-${memberId}`,
        memberId,
        planId: 'flex',
        priceMinor: 20000,
        start,
        ...extra,
      });
    await since('steady', '2026-01-01');
    await since('fading', '2026-01-01', { end: '2026-06-30', noticeGivenAt: '2026-05-20T10:00:00+02:00' });
    await since('newbie', '2026-05-25');
    await since('gone', '2026-01-01', { end: '2026-05-10', status: 'ended', endReason: 'cancelled' });
    await since('cardonly', '2026-01-01');
    await db.query(
      `INSERT INTO credentials (site_id, id, member_id, kind, value) VALUES ($1, 'cred-co', 'cardonly', 'card', 'card-co')`,
      [site],
    );
    await insertInvoice(db, site, {
      id: 'inv-fading-may',
      memberId: 'fading',
      issueDate: '2026-05-01',
      dueDate: '2026-05-15',
      lines: [{ kind: 'membership', amountMinor: 20000, taxMinor: 4200 }],
    });

    // visits every other day over twelve weeks; the fading member stops coming four weeks ago
    const events: object[] = [];
    const visit = (member: string | null, credential: string, day: string) =>
      events.push({
        type: 'door',
        site,
        door: 'door-main',
        id: `${credential}-${day}`,
        ts: `${day}T09:1${events.length % 10}:00+02:00`,
        credential,
        ...(member ? { member } : {}),
        direction: 'in',
        result: 'granted',
      });
    for (let d = 84; d >= 1; d -= 2) {
      const day = shiftDay(TODAY, -d);
      visit('steady', 'card-steady', day);
      visit(null, 'card-co', day);
      if (d > 28) visit('fading', 'card-fading', day);
      if (d <= 7) visit('newbie', 'card-newbie', day);
    }
    const response = await fetch(`${platform.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(events),
    });
    expect(response.status).toBe(202);
    expect(((await response.json()) as { accepted: number }).accepted).toBe(events.length);
  });

  afterAll(async () => {
    await platform?.close();
    await db?.close();
  });

  it('lists members highest risk first with their factors, and the too-new apart with the reason', async () => {
    const body = await risk();
    expect(body.scoredOn).toBe(TODAY);
    expect(body.members.map((m) => m.memberId)).toEqual(['fading', expect.any(String), expect.any(String)]);
    expect(body.members.map((m) => m.memberId).sort()).toEqual(['cardonly', 'fading', 'steady']);
    const [fading, ...others] = body.members;
    for (const other of others) expect(fading.score).toBeGreaterThan(other.score + 30);
    expect(fading.factors.slice(0, 3).map((f) => f.factor)).toEqual(
      expect.arrayContaining(['contract_ending', 'visit_trend']),
    );
    const visits = fading.factors.find((f) => f.factor === 'visit_trend');
    expect(visits?.value).toEqual({ recent: 0, previousPer4Weeks: 14 });
    const overdue = fading.factors.find((f) => f.factor === 'overdue_invoices');
    expect(overdue?.value).toEqual({ count: 1, amountMinor: 24200, oldestDays: 17 });
    expect(body.unscored).toEqual([
      {
        memberId: 'newbie',
        reason: `membership started 7 day(s) before ${TODAY}; 28 days of history are needed`,
      },
    ]);
  });

  it('matches door events that carry only a credential to the card holder', async () => {
    const histories = await platform.app.get(ChurnService).histories(site, TODAY);
    const cardOnly = histories.find((h) => h.memberId === 'cardonly');
    expect(cardOnly?.visitDays).toHaveLength(42);
    expect(cardOnly?.lastVisit).toBe(shiftDay(TODAY, -2));
  });

  it('scores a past day from the history before it only', async () => {
    // on 1 May the notice (20 May) was not given yet and the May invoice was not due
    const body = await risk('?on=2026-05-01');
    const fading = body.members.find((m) => m.memberId === 'fading');
    expect(fading?.factors.find((f) => f.factor === 'contract_ending')).toMatchObject({
      contribution: 0,
      value: { daysToEnd: null, noticeGiven: false },
    });
    expect(fading?.factors.find((f) => f.factor === 'overdue_invoices')?.value).toMatchObject({ count: 0 });
    expect(body.unscored).toEqual([]);
    // the newbie had no contract yet, the gone member still had one
    expect(body.members.map((m) => m.memberId).sort()).toEqual(['cardonly', 'fading', 'gone', 'steady']);
  });

  it('stores one row per member and day; recomputing and the daily job change nothing', async () => {
    const rows = async () =>
      (
        await db.query<{ member_id: string; score: number | null; reason: string | null }>(
          `SELECT member_id, score, reason FROM churn_scores WHERE site_id = $1 AND scored_on = $2
           ORDER BY member_id`,
          [site, TODAY],
        )
      ).rows;
    const before = await rows();
    expect(before.map((r) => r.member_id)).toEqual(['cardonly', 'fading', 'newbie', 'steady']);
    expect(before.find((r) => r.member_id === 'newbie')).toMatchObject({ score: null });
    await platform.app.get(ChurnService).recompute(site, TODAY);
    expect(await rows()).toEqual(before);
    expect(await platform.app.get(ChurnDailyJob).runOnce()).toBe(0);
    expect(await rows()).toEqual(before);
  });

  it('filters by minimum score and limit', async () => {
    const top = await risk('?min=30&limit=5');
    expect(top.members.map((m) => m.memberId)).toEqual(['fading']);
    expect((await risk('?limit=1')).members).toHaveLength(1);
  });

  it('refuses a future day, bad parameters, unknown sites and keys of other roles or sites', async () => {
    const future = await get(`/v1/sites/${site}/churn-risk?on=2026-06-02`);
    expect(future.status).toBe(400);
    expect(((await future.json()) as { errors: Array<{ path: string }> }).errors[0].path).toBe('on');
    const bad = await get(`/v1/sites/${site}/churn-risk?min=101&limit=0&on=June`);
    expect(bad.status).toBe(400);
    const paths = ((await bad.json()) as { errors: Array<{ path: string }> }).errors
      .map((e) => e.path)
      .sort();
    expect(paths).toEqual(['limit', 'min', 'on']);
    expect((await get('/v1/sites/no-such-site/churn-risk')).status).toBe(404);
    expect(
      (await get(`/v1/sites/${site}/churn-risk`, await platform.createKey('integration', site))).status,
    ).toBe(403);
    const otherSite = uniqueId('churn-other');
    await platform.putSite(otherSite, deskSiteDocument(1));
    expect(
      (await get(`/v1/sites/${site}/churn-risk`, await platform.createKey('manager', otherSite))).status,
    ).toBe(403);
    expect(
      (await get(`/v1/sites/${site}/churn-risk`, await platform.createKey('manager', site))).status,
    ).toBe(200);
  });
});
