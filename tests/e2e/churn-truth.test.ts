import { ChurnDailyJob, CHURN_MODEL, ChurnService, Labelled, shiftDay } from '@cw/churn';
import { EmbeddedDatabase } from '@cw/database';
import { loadScenario } from '@cw/simulators';
import { join } from 'node:path';
import { BorrowedDatabase } from '../support/borrowed-database';
import { Evaluation, evaluation, scoredAsOf } from '../support/churn-truth-eval';
import { LoadedRun, loadScenarioRun } from '../support/churn-truth-loader';
import { openSeededDatabase } from '../support/seeded-database';
import { ADMIN_TOKEN, startPlatform, TestPlatform } from '../support/test-app';

/** Scored as of the day after the run and two and four weeks before: members at different points of their decline. */
const DAYS = 98;
const SCORING_OFFSETS = [0, -14, -28];
/**
 * Before notice (30 days ahead of the churn in the loader), the churners in the horizon are those leaving 30-60 days
 * later, and the simulator's only signs of them are visits that start to fade 48 days before the churn (so a churn
 * 48-60 days out shows none yet) and a worse payment habit. On the tuning scenario a model told each member's true
 * attendance rate, decline and payment profile ranks them at ROC AUC 0.689, and the model scores 0.58-0.67 on four
 * seeds of it: 0.80 is out of any model's reach there, 0.60 is clearly better than chance.
 */
const BEFORE_NOTICE_MIN_AUC = 0.6;

/**
 * Churn risk judged on the simulator's ground truth, on a scenario the weights were not tuned on (churn-holdout.yaml:
 * another seed, site, time zone, plan mix, attendance, churn rate and decline, payment habits). Fourteen weeks of
 * door events go through the ingest API; members, contracts, bookings, invoices and payments are what the platform
 * would hold (tests/support/churn-truth-loader.ts). A member is a churner when the truth's churn date falls within
 * 60 days after the scoring day.
 */
describe('churn risk against the simulator ground truth (held-out scenario)', () => {
  let db: EmbeddedDatabase;
  let platform: TestPlatform;
  let run: LoadedRun;
  let service: ChurnService;

  beforeAll(async () => {
    db = await openSeededDatabase();
    platform = await startPlatform(new BorrowedDatabase(db), { CLOCK_CONTROL: 'on' });
    const scenario = loadScenario(join(__dirname, '../../simulators/scenarios/churn-holdout.yaml'));
    run = await loadScenarioRun(platform, scenario, { start: scenario.start as string, days: DAYS });
    service = platform.app.get(ChurnService);
  }, 240_000);

  afterAll(async () => {
    await platform?.close();
    await db?.close();
  });

  it('ranks churners above stayers: ROC AUC >= 0.80 overall, >= 0.60 for members who had not given notice', async () => {
    expect(run.events.failed).toBe(0);
    expect(run.events.accepted).toBeGreaterThan(5000);
    const pooled: Labelled[] = [];
    const pooledBefore: Labelled[] = [];
    const lines: string[] = [];
    const show = (e: Evaluation) =>
      `${e.members} members, ${e.churners} churners, AUC ${e.auc?.toFixed(3)}, precision@10% ${e.precisionTop10?.toFixed(3)}`;
    for (const offset of SCORING_OFFSETS) {
      const day = shiftDay(run.end, offset);
      const risk = await service.scoreSite(run.siteId, day);
      const { all, beforeNotice } = await scoredAsOf(service, run.siteId, day, run.members, CHURN_MODEL);
      // the same scores the API serves, not a second opinion
      expect(all.map((l) => l.score)).toEqual(
        risk.members.flatMap((m) => (m.score === null ? [] : [m.probability])),
      );
      pooled.push(...all);
      pooledBefore.push(...beforeNotice);
      lines.push(
        `  as of ${day}: ${show(evaluation(all))}; before notice: ${show(evaluation(beforeNotice))}`,
      );
    }
    const overall = evaluation(pooled);
    const before = evaluation(pooledBefore);
    const baseRate = overall.churners / overall.members;
    const beforeBaseRate = before.churners / before.members;
    console.log(
      `churn risk on churn-holdout.yaml (${DAYS} days, ${run.events.accepted} door events), model ${CHURN_MODEL.version}:\n` +
        `${lines.join('\n')}\n  pooled: ${show(overall)} (base rate ${baseRate.toFixed(3)})\n` +
        `  pooled before notice: ${show(before)} (base rate ${beforeBaseRate.toFixed(3)})`,
    );
    expect(overall.churners).toBeGreaterThanOrEqual(40);
    expect(overall.auc as number).toBeGreaterThanOrEqual(0.8);
    expect(overall.precisionTop10 as number).toBeGreaterThanOrEqual(3 * baseRate);
    // reported, not asserted: with 28 such churners in 513 scores its top 10% holds about three of them
    expect(before.churners).toBeGreaterThanOrEqual(15);
    expect(before.auc as number).toBeGreaterThanOrEqual(BEFORE_NOTICE_MIN_AUC);
  });

  it('lists today at risk over the API, highest first with factors, and the daily job leaves a scored day alone', async () => {
    const get = async (query: string) => {
      const response = await fetch(`${platform.url}/v1/sites/${run.siteId}/churn-risk${query}`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      expect(response.status).toBe(200);
      return (await response.json()) as {
        scoredOn: string;
        modelVersion: string;
        members: Array<{
          memberId: string;
          score: number;
          factors: Array<{ factor: string; contribution: number }>;
        }>;
        unscored: unknown[];
      };
    };
    const first = await get('?limit=10');
    expect(first.scoredOn).toBe(run.end);
    expect(first.modelVersion).toBe(CHURN_MODEL.version);
    expect(first.members).toHaveLength(10);
    const scores = first.members.map((m) => m.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(first.members[0].factors[0].contribution).toBeGreaterThan(0);
    // the members who really leave within 60 days are heavily over-represented at the top
    const truth = new Map(run.members.map((m) => [m.member, m.churnDate]));
    const churnersOnTop = first.members.filter((m) => {
      const churn = truth.get(m.memberId);
      return churn != null && churn > run.end && churn <= shiftDay(run.end, 60);
    }).length;
    expect(churnersOnTop).toBeGreaterThanOrEqual(4);

    const stored = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM churn_scores WHERE site_id = $1 AND scored_on = $2',
      [run.siteId, run.end],
    );
    expect(stored.rows[0].n).toBeGreaterThan(100);
    expect(await platform.app.get(ChurnDailyJob).runOnce()).toBe(0);
    const again = await get('?limit=10');
    expect(again.members).toEqual(first.members);
    const high = await get('?min=50&limit=1000');
    expect(high.members.every((m) => m.score >= 50)).toBe(true);
  });
});
