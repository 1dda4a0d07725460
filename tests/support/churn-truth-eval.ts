import {
  ChurnModel,
  ChurnService,
  extractFeatures,
  Labelled,
  precisionAtTop,
  rocAuc,
  scoreFeatures,
  shiftDay,
} from '@cw/churn';
import { MemberRecord } from '@cw/simulators';

/** Churners are members whose churn date falls in (D, D + 60 days]. */
export const HORIZON_DAYS = 60;

export function churnsWithin(member: MemberRecord | undefined, day: string): boolean {
  const churn = member?.churnDate ?? null;
  return churn !== null && churn > day && churn <= shiftDay(day, HORIZON_DAYS);
}

export interface Evaluation {
  members: number;
  churners: number;
  auc: number | null;
  precisionTop10: number | null;
}

export function evaluation(labelled: Labelled[]): Evaluation {
  return {
    members: labelled.length,
    churners: labelled.filter((l) => l.positive).length,
    auc: rocAuc(labelled),
    precisionTop10: precisionAtTop(labelled, 0.1),
  };
}

/**
 * A model's scores as of `day` against the truth's labels, for every scored member and for those who had not given
 * notice by then (no known contract end): the members a manager could still keep. The probability is used, not the
 * rounded score: ties at whole percents would hide part of the ranking.
 */
export async function scoredAsOf(
  service: ChurnService,
  siteId: string,
  day: string,
  members: MemberRecord[],
  model: ChurnModel,
): Promise<{ all: Labelled[]; beforeNotice: Labelled[] }> {
  const truth = new Map(members.map((m) => [m.member, m]));
  const all: Labelled[] = [];
  const beforeNotice: Labelled[] = [];
  for (const h of await service.histories(siteId, day)) {
    const f = extractFeatures(h, day);
    if (!f.ok) continue;
    const labelled = {
      score: scoreFeatures(model, f.features).probability,
      positive: churnsWithin(truth.get(h.memberId), day),
    };
    all.push(labelled);
    if (f.features.daysToEnd === null) beforeNotice.push(labelled);
  }
  return { all, beforeNotice };
}
