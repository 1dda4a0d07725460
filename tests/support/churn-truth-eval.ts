import {
  ChurnModel,
  ChurnService,
  extractFeatures,
  Labelled,
  modelInputs,
  precisionAtTop,
  rocAuc,
  scoreHistory,
  shiftDay,
} from '@cw/churn';
import { MemberRecord } from '@cw/simulators';

/** Churners are members whose churn date falls in (D, D + 60 days]. */
export const HORIZON_DAYS = 60;

export interface Example {
  memberId: string;
  day: string;
  churns: boolean;
  /** The model's transformed inputs (what tuning fits on). */
  inputs: Record<keyof ChurnModel['weights'], number>;
}

export function churnsWithin(member: MemberRecord | undefined, day: string): boolean {
  const churn = member?.churnDate ?? null;
  return churn !== null && churn > day && churn <= shiftDay(day, HORIZON_DAYS);
}

/** Every member the platform scores as of `day`, with the truth's label; members without a score are left out. */
export async function examplesAsOf(
  service: ChurnService,
  siteId: string,
  day: string,
  members: MemberRecord[],
) {
  const truth = new Map(members.map((m) => [m.member, m]));
  const histories = await service.histories(siteId, day);
  const examples: Example[] = [];
  const unscored: string[] = [];
  for (const h of histories) {
    const f = extractFeatures(h, day);
    if (!f.ok) {
      unscored.push(h.memberId);
      continue;
    }
    examples.push({
      memberId: h.memberId,
      day,
      churns: churnsWithin(truth.get(h.memberId), day),
      inputs: modelInputs(f.features),
    });
  }
  return { histories, examples, unscored };
}

export interface Evaluation {
  members: number;
  churners: number;
  auc: number | null;
  precisionTop10: number | null;
}

/** ROC AUC and precision at the top 10% of a model's scores against the labels. */
export async function evaluate(
  service: ChurnService,
  siteId: string,
  day: string,
  members: MemberRecord[],
  model: ChurnModel,
): Promise<Evaluation> {
  const truth = new Map(members.map((m) => [m.member, m]));
  const labelled: Labelled[] = [];
  for (const h of await service.histories(siteId, day)) {
    const risk = scoreHistory(model, h, day);
    // the probability, not the rounded score: ties at whole percents would hide part of the ranking
    if (risk.score !== null)
      labelled.push({ score: risk.probability, positive: churnsWithin(truth.get(h.memberId), day) });
  }
  return {
    members: labelled.length,
    churners: labelled.filter((l) => l.positive).length,
    auc: rocAuc(labelled),
    precisionTop10: precisionAtTop(labelled, 0.1),
  };
}
