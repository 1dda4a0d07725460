import { Injectable, Logger } from '@nestjs/common';
import { DomainError, ErrorCode, notFound } from '@cw/common';
import { Queryable } from '@cw/database';
import { AuditRepository } from './audit.repository';
import { ContractsRepository } from './contracts.repository';
import { MembershipEvents } from './membership.events';
import { Contract, Member } from './membership.types';
import { MembersRepository } from './members.repository';
import { PendingEvents } from './pending-events';
import { PrivacyRepository } from './privacy.repository';
import { dayIn, SiteCalendar, SiteDay } from './site-calendar';

export type OffboardReason = 'requested' | 'last_contract_ended' | 'erased';

export interface Offboarding {
  member: Member;
  contractsEnded: string[];
  credentialsRevoked: number;
  assignmentsReleased: string[];
}

/**
 * Leaving ends the access (DESIGN.md, Rules: Access): in one transaction the member is marked offboarded, every
 * credential revoked, every held resource released and the step audited. It happens when the last contract ends
 * (the daily sweep, or at once when a contract is written with an end already past) or when asked for.
 */
@Injectable()
export class OffboardingService {
  private readonly logger = new Logger(OffboardingService.name);

  constructor(
    private readonly members: MembersRepository,
    private readonly contracts: ContractsRepository,
    private readonly privacy: PrivacyRepository,
    private readonly audit: AuditRepository,
    private readonly calendar: SiteCalendar,
    private readonly events: MembershipEvents,
  ) {}

  /**
   * Explicit offboarding: contracts still running end today (upcoming ones are voided), then the member leaves.
   * Repeating it changes nothing.
   */
  async offboard(siteId: string, memberId: string, actor: string): Promise<Offboarding> {
    const day = await this.calendar.day(siteId);
    const pending = new PendingEvents();
    const result = await this.members.db.transaction(async (tx) => {
      const member = await this.members.lockMember(tx, siteId, memberId);
      if (!member) throw notFound(`member ${memberId} at site ${siteId}`);
      if (member.status === 'erased')
        throw new DomainError(ErrorCode.Conflict, `member ${memberId} was erased and is already offboarded`);
      if (member.status === 'offboarded')
        return { member, contractsEnded: [], credentialsRevoked: 0, assignmentsReleased: [] };
      return this.offboardLocked(tx, member, day, actor, 'requested', pending);
    });
    pending.flush(this.events);
    return result;
  }

  /**
   * Inside the caller's transaction, with the member row locked: ends what still runs, then offboards. Used by the
   * explicit path and by erasure.
   */
  async offboardLocked(
    tx: Queryable,
    member: Member,
    day: SiteDay,
    actor: string,
    reason: OffboardReason,
    pending: PendingEvents,
  ): Promise<Offboarding> {
    const { siteId, id: memberId } = member;
    const contractsEnded: string[] = [];
    await this.closeEnded(tx, siteId, day, actor, pending, memberId);
    for (const contract of await this.contracts.lockOpenForMember(tx, siteId, memberId, day.today)) {
      const voided = contract.start >= day.today;
      const ended = await this.contracts.save(tx, siteId, contract.id, {
        end: voided ? contract.end : day.today,
        status: voided ? 'cancelled' : 'ended',
        endReason: 'offboarded',
        replacedBy: contract.replacedBy,
        noticeGivenAt: contract.noticeGivenAt ?? day.now,
      });
      contractsEnded.push(contract.id);
      pending.contract(ended, contract, 'offboarded');
    }
    const offboarded = await this.members.markOffboarded(tx, siteId, memberId, day.now);
    const credentialsRevoked = await this.privacy.revokeCredentials(
      tx,
      siteId,
      memberId,
      'offboarded',
      day.now,
    );
    const released = await this.contracts.release(tx, siteId, { memberId }, day.now);
    const assignmentsReleased = released.map((a) => a.id);
    await this.audit.record(
      tx,
      {
        siteId,
        actor,
        action: 'member.offboarded',
        subject: `member:${memberId}`,
        detail: { reason, contractsEnded, credentialsRevoked, assignmentsReleased },
      },
      day.now,
    );
    pending.memberOffboarded(siteId, memberId, day.now);
    return { member: offboarded, contractsEnded, credentialsRevoked, assignmentsReleased };
  }

  /**
   * Closes contracts whose end has come (status ended; expired unless they already had a reason) and releases what
   * they held at their end; then offboards the member when that was their last contract.
   */
  async settleMember(
    tx: Queryable,
    siteId: string,
    memberId: string,
    day: SiteDay,
    actor: string,
    pending: PendingEvents,
  ): Promise<void> {
    await this.closeEnded(tx, siteId, day, actor, pending, memberId);
    const due = await this.contracts.membersDueForOffboarding(tx, siteId, day.today, memberId);
    if (due.length === 0) return;
    const member = await this.members.lockMember(tx, siteId, memberId);
    if (member?.status === 'active')
      await this.offboardLocked(tx, member, day, actor, 'last_contract_ended', pending);
  }

  /** The daily sweep of every site, each in its own calendar; idempotent, so running it often is harmless. */
  async runDaily(
    now: Date,
    actor = 'job:membership.daily',
  ): Promise<{ contractsEnded: number; offboarded: string[] }> {
    let contractsEnded = 0;
    const offboarded: string[] = [];
    for (const { siteId, timeZone } of await this.members.listSiteZones()) {
      const day = dayIn(timeZone, now);
      const pending = new PendingEvents();
      contractsEnded += await this.members.db.transaction((tx) =>
        this.closeEnded(tx, siteId, day, actor, pending),
      );
      pending.flush(this.events);
      for (const memberId of await this.contracts.membersDueForOffboarding(
        this.members.db,
        siteId,
        day.today,
      )) {
        try {
          const memberPending = new PendingEvents();
          await this.members.db.transaction((tx) =>
            this.settleMember(tx, siteId, memberId, day, actor, memberPending),
          );
          memberPending.flush(this.events);
          offboarded.push(`${siteId}/${memberId}`);
        } catch (error) {
          // One member's failure must not keep the rest of the site from being offboarded; the next run retries.
          this.logger.error({ err: error, siteId, memberId }, 'offboarding failed');
        }
      }
    }
    return { contractsEnded, offboarded };
  }

  private async closeEnded(
    tx: Queryable,
    siteId: string,
    day: SiteDay,
    actor: string,
    pending: PendingEvents,
    memberId?: string,
  ): Promise<number> {
    const due = await this.contracts.lockDueToEnd(tx, siteId, day.today, memberId);
    for (const contract of due) {
      const ended: Contract = await this.contracts.save(tx, siteId, contract.id, {
        end: contract.end,
        status: 'ended',
        endReason: contract.endReason ?? 'expired',
        replacedBy: contract.replacedBy,
        noticeGivenAt: contract.noticeGivenAt,
      });
      await this.contracts.release(tx, siteId, { contractId: contract.id }, day.startOf(contract.end!));
      await this.audit.record(
        tx,
        {
          siteId,
          actor,
          action: 'contract.ended',
          subject: `contract:${contract.id}`,
          detail: { member: contract.memberId, end: contract.end, reason: ended.endReason },
        },
        day.now,
      );
      pending.contract(ended, contract, 'ended');
    }
    return due.length;
  }
}
