/* Fits the churn model's weights on the tuning scenario and prints them (libs/churn/src/model/weights.ts).
 *   npx ts-node -r tsconfig-paths/register --transpile-only tests/support/churn-tune.ts
 * Loads 126 days of churn-tuning.yaml and scores its members as of every week from day 56 to the day after the run
 * (SAVE=file keeps those histories, SNAPSHOT=file reads them back instead of loading again). Logistic regression by
 * gradient descent with a small L2 penalty and weights held at zero or above. Prints the ROC AUC of the current and
 * the fitted weights on every member and on those who had not given notice, in-sample and in 4-fold
 * cross-validation over members. Refuses the holdout scenario.
 */
import { ChurnModel, CHURN_MODEL, extractFeatures, modelInputs, rocAuc, shiftDay } from '@cw/churn';
import { HistorySnapshot, readSnapshot, snapshotScenario, writeSnapshot } from './churn-histories';

type Weights = ChurnModel['weights'];
const KEYS = Object.keys(CHURN_MODEL.weights) as Array<keyof Weights>;
/** Set by judgment (weights.ts says why), not fitted. */
const FIXED: Partial<Weights> = { downgrade: CHURN_MODEL.weights.downgrade };
const HORIZON_DAYS = 60;

interface Example {
  member: string;
  churns: boolean;
  beforeNotice: boolean;
  inputs: Weights;
}

function examplesOf(snapshot: HistorySnapshot): Example[] {
  const examples: Example[] = [];
  for (const { day, histories } of snapshot.days)
    for (const h of histories) {
      const f = extractFeatures(h, day);
      if (!f.ok) continue;
      const churn = snapshot.churnDates[h.memberId] ?? null;
      examples.push({
        member: h.memberId,
        churns: churn !== null && churn > day && churn <= shiftDay(day, HORIZON_DAYS),
        beforeNotice: f.features.daysToEnd === null,
        inputs: modelInputs(f.features),
      });
    }
  return examples;
}

const logit = (model: ChurnModel, e: Example) =>
  model.intercept + KEYS.reduce((s, k) => s + model.weights[k] * e.inputs[k], 0);

function fit(examples: Example[], l2 = 0.01, steps = 8000, rate = 0.3): ChurnModel {
  let intercept = 0;
  const w = Object.fromEntries(KEYS.map((k) => [k, FIXED[k] ?? 0])) as Weights;
  for (let step = 0; step < steps; step++) {
    let gi = 0;
    const g = Object.fromEntries(KEYS.map((k) => [k, 0])) as Weights;
    for (const e of examples) {
      const err = 1 / (1 + Math.exp(-logit({ version: '', intercept, weights: w }, e))) - (e.churns ? 1 : 0);
      gi += err;
      for (const k of KEYS) g[k] += err * e.inputs[k];
    }
    intercept -= (rate * gi) / examples.length;
    for (const k of KEYS) {
      if (FIXED[k] !== undefined) continue;
      // every factor is a warning sign by construction: a weight below zero would only fit noise
      w[k] = Math.max(0, w[k] - rate * (g[k] / examples.length + l2 * w[k]));
    }
  }
  return { version: 'fitted', intercept, weights: w };
}

function aucs(model: ChurnModel, examples: Example[]) {
  const score = (list: Example[]) =>
    rocAuc(list.map((e) => ({ score: logit(model, e), positive: e.churns })));
  return { all: score(examples), beforeNotice: score(examples.filter((e) => e.beforeNotice)) };
}

/** Mean AUCs of models fitted on three quarters of the members and judged on the rest. */
function crossValidate(examples: Example[], folds = 4) {
  const members = [...new Set(examples.map((e) => e.member))].sort();
  const foldOf = new Map(members.map((m, i) => [m, (i * 7919) % folds]));
  const results = Array.from({ length: folds }, (_, k) => {
    const model = fit(
      examples.filter((e) => foldOf.get(e.member) !== k),
      0.01,
      3000,
    );
    return aucs(
      model,
      examples.filter((e) => foldOf.get(e.member) === k),
    );
  });
  const mean = (xs: Array<number | null>) => xs.reduce<number>((s, x) => s + (x ?? NaN), 0) / xs.length;
  return { all: mean(results.map((r) => r.all)), beforeNotice: mean(results.map((r) => r.beforeNotice)) };
}

async function main(): Promise<void> {
  const file = process.env.SCENARIO ?? 'churn-tuning.yaml';
  if (file.includes('holdout'))
    throw new Error('the holdout scenario is for judging the weights, never for fitting them');
  const days = Number(process.env.DAYS ?? 126);
  const offsets: number[] = [];
  for (let offset = 0; days + offset >= 56; offset -= 7) offsets.push(offset);
  const snapshot = process.env.SNAPSHOT
    ? readSnapshot(process.env.SNAPSHOT)
    : await snapshotScenario(file, days, offsets);
  if (process.env.SAVE) writeSnapshot(process.env.SAVE, snapshot);
  const examples = examplesOf(snapshot);
  const before = examples.filter((e) => e.beforeNotice);
  console.log(
    `${snapshot.scenario}: ${examples.length} examples (${examples.filter((e) => e.churns).length} churners), ` +
      `${before.length} before notice (${before.filter((e) => e.churns).length} churners)`,
  );
  const fitted = fit(examples);
  console.log('fitted', JSON.stringify(fitted, null, 2));
  console.log('current model, in-sample', aucs(CHURN_MODEL, examples));
  console.log('fitted model, in-sample', aucs(fitted, examples));
  console.log('4-fold cross-validation over members', crossValidate(examples));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
