import { Injectable } from '@nestjs/common';
import { Clock, DomainError, ErrorCode, forbidden, invalid, notFound } from '@cw/common';
import { CreditsRepository } from './credits.repository';
import { newCode, redeemRefusal, Voucher, VoucherKind } from './voucher-rules';
import { VoucherSpend, VouchersRepository } from './vouchers.repository';
import { LocalDate } from './zoned-time';

export interface IssueVouchers {
  kind: VoucherKind;
  /** Minor units (money), days (day_pass) or minutes (hour_pack). */
  value: number;
  expiresAt: Date;
  count: number;
  prefix?: string;
  batchId?: string;
  /** An operator-chosen code (one voucher only). */
  code?: string;
}

export type DayPassUse =
  | { outcome: 'spent'; code: string; remainingDays: number }
  /** Already spent for this date: the same day costs nothing more. */
  | { outcome: 'already_spent'; code: string }
  | { outcome: 'none'; reason: string };

const FOREIGN_KEY = '23503';

/** Vouchers, day passes and hour packs: issue, redeem, look up, and the day pass spent at the door. */
@Injectable()
export class VouchersService {
  constructor(
    private readonly repo: VouchersRepository,
    private readonly credits: CreditsRepository,
    private readonly clock: Clock,
  ) {}

  async issue(siteId: string, input: IssueVouchers): Promise<Voucher[]> {
    const now = this.clock.now();
    if (input.expiresAt <= now)
      throw invalid('a voucher must expire in the future', [
        { path: 'expiresAt', message: 'must be in the future' },
      ]);
    if (!(await this.credits.site(siteId))) throw notFound(`site ${siteId}`);
    const fresh = (code: string) => ({
      code,
      kind: input.kind,
      batchId: input.batchId ?? null,
      value: input.value,
      expiresAt: input.expiresAt,
      planId: null,
      memberId: null,
      redeemedAt: null,
    });
    if (input.code) {
      const [voucher] = await this.repo.insertMany(this.repo.db, siteId, [fresh(input.code)], now);
      if (!voucher) throw new DomainError(ErrorCode.Conflict, `voucher code ${input.code} already exists`);
      return [voucher];
    }
    // All codes in one transaction: a batch is issued whole or not at all. A random code that collides with an
    // existing one is drawn again.
    return this.repo.db.transaction(async (tx) => {
      const issued: Voucher[] = [];
      for (let attempt = 0; attempt < 3 && issued.length < input.count; attempt++) {
        const wanted = Array.from({ length: input.count - issued.length }, () =>
          fresh(newCode(input.prefix)),
        );
        issued.push(...(await this.repo.insertMany(tx, siteId, wanted, now)));
      }
      if (issued.length < input.count)
        throw new DomainError(ErrorCode.Conflict, 'could not draw enough unused codes; use a longer prefix');
      return issued;
    });
  }

  async redeem(siteId: string, code: string, memberId: string): Promise<Voucher> {
    const member = await this.credits.member(siteId, memberId);
    if (!member) throw notFound(`member ${memberId}`);
    if (member.status !== 'active') throw forbidden(`member ${memberId} is ${member.status}`);
    const now = this.clock.now();
    try {
      const redeemed = await this.repo.redeem(siteId, code, memberId, now);
      if (redeemed) return redeemed;
    } catch (error) {
      if ((error as { code?: string }).code === FOREIGN_KEY) throw notFound(`member ${memberId}`);
      throw error;
    }
    const voucher = await this.repo.find(siteId, code);
    if (!voucher) throw notFound(`voucher ${code}`);
    throw (
      redeemRefusal(voucher, now) ??
      new DomainError(ErrorCode.Conflict, `voucher ${code} could not be redeemed; try again`)
    );
  }

  async get(siteId: string, code: string): Promise<{ voucher: Voucher; spends: VoucherSpend[] }> {
    const voucher = await this.repo.find(siteId, code);
    if (!voucher) throw notFound(`voucher ${code}`);
    return { voucher, spends: await this.repo.spendsOf(siteId, code) };
  }

  list(
    siteId: string,
    filter: { memberId?: string; batchId?: string; kind?: VoucherKind },
  ): Promise<Voucher[]> {
    return this.repo.list(siteId, filter);
  }

  /**
   * Spends one day of the member's day pass for a local date, the pass expiring first first. Idempotent per pass and
   * date (`voucher_spends_day_once`), and serialised per member, so any number of door decisions on one day spend
   * one day.
   */
  async spendDayPass(
    siteId: string,
    memberId: string,
    date: LocalDate,
    at: Date = this.clock.now(),
  ): Promise<DayPassUse> {
    return this.repo.db.transaction(async (tx) => {
      const member = await this.credits.lockMember(tx, siteId, memberId);
      if (!member) return { outcome: 'none', reason: `unknown member ${memberId}` };
      if (member.status !== 'active') return { outcome: 'none', reason: `member is ${member.status}` };
      const spent = await this.repo.daySpend(tx, siteId, memberId, date);
      if (spent) return { outcome: 'already_spent', code: spent.code };
      const [pass] = await this.repo.spendable(tx, siteId, memberId, 'day_pass', at);
      if (!pass) return { outcome: 'none', reason: 'no day pass with days left' };
      if (
        !(await this.repo.insertSpend(
          tx,
          { siteId, code: pass.code, bookingId: null, accessDate: date, amount: 1 },
          at,
        ))
      )
        return { outcome: 'already_spent', code: pass.code };
      if (!(await this.repo.debit(tx, siteId, pass.code, 1, at)))
        throw new DomainError(ErrorCode.Conflict, `day pass ${pass.code} changed while spending; try again`);
      return { outcome: 'spent', code: pass.code, remainingDays: pass.balance - 1 };
    });
  }
}
