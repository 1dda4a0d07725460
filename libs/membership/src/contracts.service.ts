import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode, invalid, notFound } from '@cw/common';
import { Queryable } from '@cw/database';
import { AuditRepository } from './audit.repository';
import { checkCancellable, checkPlanChange, checkRenewal, planCancellation } from './contract-rules';
import { ContractsRepository } from './contracts.repository';
import { EXCLUSION_VIOLATION, FOREIGN_KEY_VIOLATION, isDbError } from './db-errors';
import { ChangePlanBody, SignUpBody } from './dto/contract.dto';
import { MembershipEvents } from './membership.events';
import { CONTRACT_PLAN_KINDS, Contract, LocalDate, Member, Plan } from './membership.types';
import { MembersRepository } from './members.repository';
import { OffboardingService } from './offboarding.service';
import { PendingEvents } from './pending-events';
import { PlansRepository } from './plans.repository';
import { SiteCalendar, SiteDay } from './site-calendar';

export const newContractId = () => `ct_${randomUUID()}`;

/**
 * Sign-up, plan change, cancellation and renewal. Each runs in one transaction under the member's row lock (then
 * the contract's), so a change of one member's contracts never interleaves with their offboarding; the database's
 * exclusion constraint keeps one contract per member at a time whatever the number of processes.
 */
@Injectable()
export class ContractsService {
  constructor(
    private readonly repo: ContractsRepository,
    private readonly members: MembersRepository,
    private readonly plans: PlansRepository,
    private readonly audit: AuditRepository,
    private readonly offboarding: OffboardingService,
    private readonly calendar: SiteCalendar,
    private readonly events: MembershipEvents,
  ) {}

  async signUp(
    siteId: string,
    body: SignUpBody,
    actor: string,
  ): Promise<{ contract: Contract; created: boolean }> {
    const day = await this.calendar.day(siteId);
    const id = body.id ?? newContractId();
    const pending = new PendingEvents();
    const result = await this.guard(siteId, body.member, body.start, body.end ?? null, id, () =>
      this.repo.db.transaction(async (tx) => {
        const member = await this.members.lockMember(tx, siteId, body.member);
        if (!member)
          throw invalid('unknown member', [{ path: 'member', message: `unknown member ${body.member}` }]);
        assertNotErased(member);
        const plan = await this.contractPlan(tx, siteId, body.plan, 'plan');
        const companyId = body.company === undefined ? member.companyId : body.company;
        if (companyId && !(await this.members.findCompany(siteId, companyId, tx)))
          throw invalid('unknown company', [{ path: 'company', message: `unknown company ${companyId}` }]);
        const contract = await this.repo.insert(tx, {
          siteId,
          id,
          memberId: member.id,
          companyId,
          planId: plan.id,
          priceMinor: plan.priceMinor,
          start: body.start,
          end: body.end ?? null,
          noticeDays: body.noticeDays,
        });
        if (!contract)
          return { contract: await this.sameSignUp(tx, siteId, id, body, companyId), created: false };
        if (member.status === 'offboarded') await this.members.reactivate(tx, siteId, member.id);
        await this.record(tx, day, actor, 'contract.signed', contract, {
          member: member.id,
          plan: plan.id,
          priceMinor: plan.priceMinor,
          start: contract.start,
          end: contract.end,
        });
        pending.contract(contract, null, 'signed');
        // Written with an end already past: it is over at once, and may have been the member's last.
        await this.offboarding.settleMember(tx, siteId, member.id, day, actor, pending);
        return { contract: (await this.repo.find(siteId, id, tx))!, created: true };
      }),
    );
    pending.flush(this.events);
    return result;
  }

  /**
   * Ends this contract at `on` (plan_change, replaced_by) and starts the next one there, on the new plan at its
   * current price, for the rest of the term. Held resources move to the next contract when the plan keeps its kind,
   * and are released at `on` when it does not (a fixed desk does not come with a virtual office).
   */
  async changePlan(
    siteId: string,
    id: string,
    body: ChangePlanBody,
    actor: string,
  ): Promise<{ ended: Contract; next: Contract }> {
    const day = await this.calendar.day(siteId);
    const pending = new PendingEvents();
    const known = await this.get(siteId, id);
    const result = await this.guard(siteId, known.memberId, body.on, known.end, id, () =>
      this.mutate(siteId, id, async (tx, current) => {
        checkPlanChange(current, body.on, day.today);
        const plan = await this.contractPlan(tx, siteId, body.plan, 'plan');
        const previousPlan = (await this.plans.find(siteId, current.planId, tx))!;
        const nextId = body.id ?? newContractId();
        const ended = await this.repo.save(tx, siteId, id, {
          end: body.on,
          status: body.on <= day.today ? 'ended' : 'active',
          endReason: 'plan_change',
          replacedBy: nextId,
          noticeGivenAt: current.noticeGivenAt,
        });
        const next = await this.repo.insert(tx, {
          siteId,
          id: nextId,
          memberId: current.memberId,
          companyId: current.companyId,
          planId: plan.id,
          priceMinor: plan.priceMinor,
          start: body.on,
          end: current.end,
          noticeDays: body.noticeDays ?? current.noticeDays,
        });
        if (!next)
          throw new DomainError(ErrorCode.Conflict, `contract ${nextId} already exists`, [
            { path: 'id', message: 'already used by another contract' },
          ]);
        const at = day.startOf(body.on);
        const released = await this.repo.release(tx, siteId, { contractId: id }, at);
        const moved = previousPlan.kind === plan.kind ? released : [];
        for (const a of moved)
          await this.repo.insertAssignment(tx, {
            ...a,
            id: `as_${randomUUID()}`,
            contractId: nextId,
            startsAt: at,
          });
        await this.record(tx, day, actor, 'contract.plan_changed', ended, {
          from: previousPlan.id,
          to: plan.id,
          on: body.on,
          next: nextId,
          assignmentsMoved: moved.map((a) => a.id),
          assignmentsReleased: moved.length ? [] : released.map((a) => a.id),
        });
        pending.contract(ended, current, 'plan_changed');
        pending.contract(next, null, 'signed');
        return { ended, next };
      }),
    );
    pending.flush(this.events);
    return result;
  }

  /**
   * Notice rules (contract-rules.ts): a running contract ends at the later of `on` and today plus its notice; one
   * that has not begun is voided (status cancelled). Cancelling a cancelled contract again changes nothing.
   */
  async cancel(siteId: string, id: string, on: LocalDate | undefined, actor: string): Promise<Contract> {
    const day = await this.calendar.day(siteId);
    const pending = new PendingEvents();
    const contract = await this.mutate(siteId, id, async (tx, current) => {
      if (current.status === 'cancelled') return current;
      checkCancellable(current, day.today);
      const outcome = planCancellation(current, day.today, on);
      const voided = outcome.kind === 'cancel_outright';
      const end = voided ? current.end : outcome.end;
      const next = await this.repo.save(tx, siteId, id, {
        end,
        status: voided ? 'cancelled' : end !== null && end <= day.today ? 'ended' : 'active',
        endReason: 'cancelled',
        replacedBy: null,
        noticeGivenAt: day.now,
      });
      // Held resources are released when the contract ends; a release in the future frees them for others then.
      await this.repo.release(tx, siteId, { contractId: id }, voided ? day.now : day.startOf(end!));
      await this.record(tx, day, actor, voided ? 'contract.voided' : 'contract.cancelled', next, {
        requested: on ?? null,
        end: next.end,
        noticeDays: current.noticeDays,
      });
      pending.contract(next, current, 'cancelled');
      await this.offboarding.settleMember(tx, siteId, current.memberId, day, actor, pending);
      return next;
    });
    pending.flush(this.events);
    return contract;
  }

  /** Fixed-term renewal: the end moves to `until`; a lapsed contract (and its member) becomes active again. */
  async renew(siteId: string, id: string, until: LocalDate, actor: string): Promise<Contract> {
    const day = await this.calendar.day(siteId);
    const pending = new PendingEvents();
    const known = await this.get(siteId, id);
    const contract = await this.guard(siteId, known.memberId, known.start, until, id, () =>
      this.mutate(siteId, id, async (tx, current, member) => {
        checkRenewal(current, until);
        assertNotErased(member);
        const next = await this.repo.save(tx, siteId, id, {
          end: until,
          status: 'active',
          endReason: null,
          replacedBy: null,
          noticeGivenAt: null,
        });
        if (member.status === 'offboarded') await this.members.reactivate(tx, siteId, member.id);
        await this.record(tx, day, actor, 'contract.renewed', next, { from: current.end, until });
        pending.contract(next, current, 'renewed');
        return next;
      }),
    );
    pending.flush(this.events);
    return contract;
  }

  async get(siteId: string, id: string): Promise<Contract> {
    const contract = await this.repo.find(siteId, id);
    if (!contract) throw notFound(`contract ${id} at site ${siteId}`);
    return contract;
  }

  async list(
    siteId: string,
    filter: { memberId?: string; status?: Contract['status'] },
  ): Promise<Contract[]> {
    await this.calendar.day(siteId);
    return this.repo.list(siteId, filter);
  }

  async listForMember(siteId: string, memberId: string): Promise<Contract[]> {
    if (!(await this.members.findMember(siteId, memberId)))
      throw notFound(`member ${memberId} at site ${siteId}`);
    return this.repo.list(siteId, { memberId });
  }

  /** Locks the member, then the contract (the order offboarding uses too), and applies the change. */
  private async mutate<T>(
    siteId: string,
    id: string,
    change: (tx: Queryable, current: Contract, member: Member) => Promise<T>,
  ): Promise<T> {
    const known = await this.get(siteId, id);
    return this.repo.db.transaction(async (tx) => {
      const member = (await this.members.lockMember(tx, siteId, known.memberId))!;
      const current = (await this.repo.lock(tx, siteId, id))!;
      return change(tx, current, member);
    });
  }

  /** A plan a contract can be signed on: known, a membership kind, still offered. */
  private async contractPlan(tx: Queryable, siteId: string, planId: string, path: string): Promise<Plan> {
    const plan = await this.plans.find(siteId, planId, tx);
    if (!plan)
      throw invalid(`unknown plan ${planId}`, [{ path, message: `no plan ${planId} at site ${siteId}` }]);
    if (!CONTRACT_PLAN_KINDS.includes(plan.kind))
      throw invalid(`plan ${planId} is a ${plan.kind}`, [
        { path, message: `a ${plan.kind} is sold as a pass, not signed as a contract` },
      ]);
    if (!plan.active)
      throw invalid(`plan ${planId} is no longer offered`, [{ path, message: 'inactive plan' }]);
    return plan;
  }

  /** The same id signed again: the same contract is an idempotent repeat, another one a conflict. */
  private async sameSignUp(
    tx: Queryable,
    siteId: string,
    id: string,
    body: SignUpBody,
    companyId: string | null,
  ): Promise<Contract> {
    const existing = (await this.repo.find(siteId, id, tx))!;
    // The end is not compared: a later cancellation or renewal moves it, and a retry must still be recognised.
    const same =
      existing.memberId === body.member &&
      existing.planId === body.plan &&
      existing.start === body.start &&
      existing.companyId === companyId;
    if (!same) throw new DomainError(ErrorCode.Conflict, `contract ${id} already exists with other details`);
    return existing;
  }

  private async record(
    tx: Queryable,
    day: SiteDay,
    actor: string,
    action: string,
    contract: Contract,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await this.audit.record(
      tx,
      { siteId: contract.siteId, actor, action, subject: `contract:${contract.id}`, detail },
      day.now,
    );
  }

  /** Turns the database's refusals into answers: the overlapping contract is named. */
  private async guard<T>(
    siteId: string,
    memberId: string,
    start: LocalDate,
    end: LocalDate | null,
    self: string,
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (isDbError(error, EXCLUSION_VIOLATION)) {
        const other = await this.repo.overlapping(siteId, memberId, start, end, self);
        const span = other ? `${other.start} to ${other.end ?? 'open-ended'}` : 'part of that time';
        throw new DomainError(
          ErrorCode.Conflict,
          other
            ? `member ${memberId} already has contract ${other.id} (${span}); a member holds one contract at a time`
            : `member ${memberId} already has a contract for part of that time`,
        );
      }
      if (isDbError(error, FOREIGN_KEY_VIOLATION))
        throw invalid('the contract refers to an unknown record', [
          { path: '(root)', message: (error as Error).message },
        ]);
      throw error;
    }
  }
}

function assertNotErased(member: Member): void {
  if (member.status === 'erased')
    throw new DomainError(ErrorCode.Conflict, `member ${member.id} was erased and cannot hold contracts`);
}
