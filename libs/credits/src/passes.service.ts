import { Injectable } from '@nestjs/common';
import { Clock, DomainError, ErrorCode, forbidden, invalid, notFound } from '@cw/common';
import { CreditsRepository } from './credits.repository';
import { PassesRepository } from './passes.repository';
import { newCode, Voucher } from './voucher-rules';
import { VouchersRepository } from './vouchers.repository';
import { addDays, localDate, zonedInstant } from './zoned-time';

/** A pass stays valid this long when its plan does not say. */
const DEFAULT_VALID_DAYS = 365;

const PASS_KINDS = {
  day_pass: { voucher: 'day_pass', label: 'Day pass', prefix: 'DP-' },
  hour_pack: { voucher: 'hour_pack', label: 'Hour pack', prefix: 'HP-' },
} as const;

/** Selling a day pass or an hour pack: the member's pass and the charge billing invoices next, in one transaction. */
@Injectable()
export class PassesService {
  constructor(
    private readonly passes: PassesRepository,
    private readonly vouchers: VouchersRepository,
    private readonly credits: CreditsRepository,
    private readonly clock: Clock,
  ) {}

  async sell(
    siteId: string,
    memberId: string,
    planId: string,
  ): Promise<{ voucher: Voucher; chargeId: string | null }> {
    const now = this.clock.now();
    return this.passes.db.transaction(async (tx) => {
      const site = await this.credits.site(siteId, tx);
      if (!site) throw notFound(`site ${siteId}`);
      const member = await this.credits.lockMember(tx, siteId, memberId);
      if (!member) throw notFound(`member ${memberId}`);
      if (member.status !== 'active') throw forbidden(`member ${memberId} is ${member.status}`);
      const plan = await this.passes.plan(tx, siteId, planId);
      if (!plan)
        throw invalid(`unknown plan ${planId}`, [{ path: 'plan', message: `unknown plan ${planId}` }]);
      if (plan.kind !== 'day_pass' && plan.kind !== 'hour_pack')
        throw invalid(`plan ${planId} is a ${plan.kind}, not a pass`, [
          { path: 'plan', message: 'must be a day_pass or hour_pack plan' },
        ]);
      if (!plan.active) throw new DomainError(ErrorCode.Conflict, `plan ${planId} is no longer sold`);
      const kind = PASS_KINDS[plan.kind];
      const value = plan.kind === 'day_pass' ? plan.passDays : plan.passMinutes;
      if (!value)
        throw new DomainError(
          ErrorCode.Conflict,
          `plan ${planId} does not say how many ${plan.kind === 'day_pass' ? 'days' : 'minutes'} it holds`,
        );
      // Valid through the last local day: it expires at the site's midnight that ends it.
      const today = localDate(now, site.timeZone);
      const expiresAt = zonedInstant(
        addDays(today, plan.passValidDays ?? DEFAULT_VALID_DAYS),
        '00:00',
        site.timeZone,
      );
      const [voucher] = await this.vouchers.insertMany(
        tx,
        siteId,
        [
          {
            code: newCode(kind.prefix),
            kind: kind.voucher,
            batchId: null,
            value,
            expiresAt,
            planId: plan.id,
            memberId,
            redeemedAt: now,
          },
        ],
        now,
      );
      if (!voucher)
        throw new DomainError(ErrorCode.Conflict, 'could not draw an unused pass code; try again');
      let chargeId: string | null = null;
      if (plan.priceMinor > 0) {
        chargeId = `pass-${voucher.code}`;
        await this.passes.insertCharge(
          tx,
          {
            siteId,
            id: chargeId,
            memberId,
            description: `${kind.label}: ${plan.name}`,
            amountMinor: plan.priceMinor,
            date: today,
          },
          now,
        );
      }
      return { voucher, chargeId };
    });
  }
}
