/* Fits the churn model's weights on the tuning scenario and prints them (libs/churn/src/model/weights.ts).
 *   npx ts-node -r tsconfig-paths/register --transpile-only tests/support/churn-tune.ts
 * Logistic regression by gradient descent with a small L2 penalty, on members scored as of three days of the run.
 */
import { ChurnModel, ChurnService, CHURN_MODEL } from '@cw/churn';
import { loadScenario } from '@cw/simulators';
import { join } from 'node:path';
import { BorrowedDatabase } from './borrowed-database';
import { loadScenarioRun } from './churn-truth-loader';
import { evaluate, Example, examplesAsOf } from './churn-truth-eval';
import { openSeededDatabase } from './seeded-database';
import { startPlatform } from './test-app';
import { shiftDay } from '@cw/churn';

type Weights = ChurnModel['weights'];
const KEYS = Object.keys(CHURN_MODEL.weights) as Array<keyof Weights>;

function fit(examples: Example[], l2 = 0.01, steps = 20000, rate = 0.05): ChurnModel {
  let intercept = 0;
  const w = Object.fromEntries(KEYS.map((k) => [k, 0])) as Weights;
  for (let step = 0; step < steps; step++) {
    let gi = 0;
    const g = Object.fromEntries(KEYS.map((k) => [k, 0])) as Weights;
    for (const e of examples) {
      const z = intercept + KEYS.reduce((s, k) => s + w[k] * e.inputs[k], 0);
      const err = 1 / (1 + Math.exp(-z)) - (e.churns ? 1 : 0);
      gi += err;
      for (const k of KEYS) g[k] += err * e.inputs[k];
    }
    intercept -= (rate * gi) / examples.length;
    // every factor is a warning sign by construction: a weight below zero would only fit noise
    for (const k of KEYS) w[k] = Math.max(0, w[k] - rate * (g[k] / examples.length + l2 * w[k]));
  }
  return { version: 'fitted', intercept, weights: w };
}

async function main(): Promise<void> {
  const file = process.env.SCENARIO ?? 'churn-tuning.yaml';
  const scenario = loadScenario(join(__dirname, '../../simulators/scenarios', file));
  const db = await openSeededDatabase();
  const platform = await startPlatform(new BorrowedDatabase(db), { CLOCK_CONTROL: 'on' });
  try {
    const days = Number(process.env.DAYS ?? 98);
    const started = Date.now();
    const run = await loadScenarioRun(platform, scenario, { start: scenario.start ?? '2026-01-05', days });
    console.log(
      `loaded ${run.events.accepted} events (${run.events.failed} failed) in ${(Date.now() - started) / 1000}s`,
    );
    const service = platform.app.get(ChurnService);
    const asOf = [run.end, shiftDay(run.end, -14), shiftDay(run.end, -28)];
    const examples: Example[] = [];
    for (const day of asOf)
      examples.push(...(await examplesAsOf(service, run.siteId, day, run.members)).examples);
    console.log(`${examples.length} examples, ${examples.filter((e) => e.churns).length} churners`);
    const fitted = fit(examples);
    console.log('fitted', JSON.stringify(fitted, null, 2));
    for (const day of asOf) {
      console.log(day, 'current', await evaluate(service, run.siteId, day, run.members, CHURN_MODEL));
      console.log(day, 'fitted ', await evaluate(service, run.siteId, day, run.members, fitted));
      const noContract = { ...fitted, weights: { ...fitted.weights, contractEnding: 0 } };
      console.log(
        day,
        'fitted without contract end',
        await evaluate(service, run.siteId, day, run.members, noContract),
      );
    }
  } finally {
    await platform.close();
    await db.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
