import { Injectable } from '@nestjs/common';
import { Clock, notFound } from '@cw/common';
import { CreditsRepository, LedgerEntry } from './credits.repository';
import { creditPeriodOf, LocalDate, monthOf } from './zoned-time';

export interface CreditBalance {
  siteId: string;
  memberId: string;
  period: { start: LocalDate; end: LocalDate };
  currency: string;
  grantedMinor: number;
  spentMinor: number;
  refundedMinor: number;
  balanceMinor: number;
  entries: LedgerEntry[];
}

/** Plan credits per member and credit period (a calendar month in the site's zone), granted on first look. */
@Injectable()
export class CreditsService {
  constructor(
    private readonly repo: CreditsRepository,
    private readonly clock: Clock,
  ) {}

  /** `month` is `YYYY-MM`; without it, the period the site is in now. */
  async balance(siteId: string, memberId: string, month?: string): Promise<CreditBalance> {
    const site = await this.repo.site(siteId);
    if (!site) throw notFound(`site ${siteId}`);
    if (!(await this.repo.member(siteId, memberId))) throw notFound(`member ${memberId}`);
    const period = month ? monthOf(`${month}-01`) : creditPeriodOf(this.clock.now(), site.timeZone);
    await this.repo.ensureGrants(this.repo.db, siteId, memberId, period);
    const entries = await this.repo.entries(this.repo.db, siteId, memberId, period.start);
    const sum = (kind: LedgerEntry['entry']) =>
      entries.filter((e) => e.entry === kind).reduce((total, e) => total + e.amountMinor, 0);
    return {
      siteId,
      memberId,
      period,
      currency: site.currency,
      grantedMinor: sum('grant'),
      spentMinor: -sum('spend'),
      refundedMinor: sum('refund'),
      balanceMinor: entries.reduce((total, e) => total + e.amountMinor, 0),
      entries,
    };
  }
}
