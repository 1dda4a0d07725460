import { Factor } from './model/churn-model';

/** One member's churn risk on a day: a score with its factors, or no score and the reason. */
export type MemberRisk =
  | { memberId: string; score: number; probability: number; factors: Factor[] }
  | { memberId: string; score: null; reason: string };

export interface SiteRisk {
  siteId: string;
  /** The site-local day scored: only history before it was used. */
  scoredOn: string;
  modelVersion: string;
  members: MemberRisk[];
}
