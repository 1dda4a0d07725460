import { Injectable } from '@nestjs/common';
import { Clock, DomainError, ErrorCode, notFound } from '@cw/common';
import { ChurnRepository } from './churn.repository';
import { MemberRisk, SiteRisk } from './churn.types';
import { assembleHistories } from './member-histories';
import { ChurnModel, Factor, scoreFeatures } from './model/churn-model';
import { extractFeatures, TREND_DAYS } from './model/features';
import { localDay, shiftDay } from './model/local-days';
import { MemberHistory } from './model/member-history';
import { CHURN_MODEL } from './model/weights';

export interface AtRiskMember {
  memberId: string;
  name: string | null;
  score: number;
  /** Every factor, largest contribution (log-odds points) first. */
  factors: Factor[];
}

export interface AtRiskList {
  siteId: string;
  scoredOn: string;
  modelVersion: string;
  members: AtRiskMember[];
  /** Members with a contract on that day who got no score, and why. */
  unscored: Array<{ memberId: string; reason: string }>;
}

/** Scores a member history with a model: the one place features meet weights. */
export function scoreHistory(model: ChurnModel, history: MemberHistory, day: string): MemberRisk {
  const extracted = extractFeatures(history, day);
  if (!extracted.ok) return { memberId: history.memberId, score: null, reason: extracted.reason };
  const scored = scoreFeatures(model, extracted.features);
  return { memberId: history.memberId, ...scored };
}

@Injectable()
export class ChurnService {
  readonly model: ChurnModel = CHURN_MODEL;

  constructor(
    private readonly repo: ChurnRepository,
    private readonly clock: Clock,
  ) {}

  async timeZoneOf(siteId: string): Promise<string> {
    const site = await this.repo.siteZone(siteId);
    if (!site) throw notFound(`site ${siteId}`);
    return site.timeZone;
  }

  /** The site-local day now is in. */
  async today(siteId: string): Promise<string> {
    return localDay(this.clock.now(), await this.timeZoneOf(siteId));
  }

  /** What the model would say of each member holding a contract on `day`, from the history before it. */
  async histories(siteId: string, day: string): Promise<MemberHistory[]> {
    const timeZone = await this.timeZoneOf(siteId);
    const [contracts, visits, bookings, overdue] = await Promise.all([
      this.repo.activeContracts(siteId, day, timeZone),
      this.repo.visitDays(siteId, day, timeZone),
      this.repo.bookingDays(siteId, day, timeZone, shiftDay(day, -TREND_DAYS)),
      this.repo.payments(siteId, day, timeZone),
    ]);
    return assembleHistories(contracts, visits, bookings, overdue);
  }

  async scoreSite(siteId: string, day: string, model: ChurnModel = this.model): Promise<SiteRisk> {
    await this.refuseFuture(siteId, day);
    const members = (await this.histories(siteId, day)).map((h) => scoreHistory(model, h, day));
    return { siteId, scoredOn: day, modelVersion: model.version, members };
  }

  /** Scores a day and stores it in place of whatever that day held: running it twice gives the same rows. */
  async recompute(siteId: string, day: string): Promise<SiteRisk> {
    const risk = await this.scoreSite(siteId, day);
    await this.repo.replaceDay(
      siteId,
      day,
      risk.modelVersion,
      risk.members.map((m) =>
        m.score === null
          ? { memberId: m.memberId, score: null, reason: m.reason, factors: [] }
          : { memberId: m.memberId, score: m.score, reason: null, factors: m.factors },
      ),
    );
    return risk;
  }

  /** Scores the site's current day unless it already is: what the daily job runs. */
  async ensureToday(siteId: string, timeZone: string): Promise<boolean> {
    const day = localDay(this.clock.now(), timeZone);
    if (await this.repo.hasDay(siteId, day)) return false;
    await this.recompute(siteId, day);
    return true;
  }

  /** The at-risk list of a day (default today), highest first; a day never scored is scored first. */
  async atRisk(siteId: string, options: { day?: string; min: number; limit: number }): Promise<AtRiskList> {
    const day = options.day ?? (await this.today(siteId));
    await this.refuseFuture(siteId, day);
    if (!(await this.repo.hasDay(siteId, day))) await this.recompute(siteId, day);
    const [rows, unscored] = await Promise.all([
      this.repo.listDay(siteId, day, options.min, options.limit),
      this.repo.unscored(siteId, day),
    ]);
    return {
      siteId,
      scoredOn: day,
      modelVersion: rows[0]?.model_version ?? this.model.version,
      members: rows.map((r) => ({
        memberId: r.member_id,
        name: r.name,
        score: r.score as number,
        factors: r.factors as Factor[],
      })),
      unscored: unscored.map((u) => ({ memberId: u.member_id, reason: u.reason })),
    };
  }

  private async refuseFuture(siteId: string, day: string): Promise<void> {
    const today = await this.today(siteId);
    if (day > today)
      throw new DomainError(
        ErrorCode.Validation,
        `cannot score ${day}: it is after today (${today}) at the site`,
        [{ path: 'on', message: `must not be after ${today}` }],
      );
  }
}
