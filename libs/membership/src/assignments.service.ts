import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode, invalid, notFound } from '@cw/common';
import { AuditRepository } from './audit.repository';
import { closedReason } from './contract-rules';
import { ContractsRepository } from './contracts.repository';
import { EXCLUSION_VIOLATION, isDbError } from './db-errors';
import { AssignBody } from './dto/contract.dto';
import { Assignment, Contract, PlanKind } from './membership.types';
import { PlansRepository } from './plans.repository';
import { SiteCalendar } from './site-calendar';

/** Resource kinds a contract may hold for itself; rooms and booths are booked, never assigned. */
const ASSIGNABLE = ['locker', 'parking', 'desk'];
/** A desk of one's own comes with a fixed desk or a private office, not with a flex or virtual plan. */
const DESK_PLANS: readonly PlanKind[] = ['fixed_desk', 'private_office'];

/**
 * What a contract holds: a locker, a parking space, a fixed desk, or a physical item such as a key. The database
 * refuses a second holder of a resource at the same time (`resource_assignments_one_holder`).
 */
@Injectable()
export class AssignmentsService {
  constructor(
    private readonly repo: ContractsRepository,
    private readonly plans: PlansRepository,
    private readonly audit: AuditRepository,
    private readonly calendar: SiteCalendar,
  ) {}

  async assign(
    siteId: string,
    contractId: string,
    body: AssignBody,
    actor: string,
  ): Promise<{ assignment: Assignment; created: boolean }> {
    const day = await this.calendar.day(siteId);
    const contract = await this.contract(siteId, contractId);
    const closed = closedReason(contract, day.today);
    if (closed) throw new DomainError(ErrorCode.Conflict, `${closed}; it can hold nothing new`);
    if (body.resource) await this.checkResource(contract, body.resource);
    const id = body.id ?? `as_${randomUUID()}`;
    // Held from now, or from the first day of a contract that has not begun.
    const startOfContract = day.startOf(contract.start);
    const startsAt = startOfContract > day.now ? startOfContract : day.now;
    try {
      return await this.repo.db.transaction(async (tx) => {
        const assignment = await this.repo.insertAssignment(tx, {
          siteId,
          id,
          contractId,
          memberId: contract.memberId,
          resourceId: body.resource ?? null,
          item: body.item ?? null,
          startsAt,
        });
        if (!assignment) {
          const existing = (await this.repo.findAssignment(siteId, id, tx))!;
          const same =
            existing.contractId === contractId &&
            existing.resourceId === (body.resource ?? null) &&
            existing.item === (body.item ?? null);
          if (!same)
            throw new DomainError(ErrorCode.Conflict, `assignment ${id} already exists with other details`);
          return { assignment: existing, created: false };
        }
        await this.audit.record(
          tx,
          {
            siteId,
            actor,
            action: 'assignment.created',
            subject: `contract:${contractId}`,
            detail: { assignment: id, resource: assignment.resourceId, item: assignment.item },
          },
          day.now,
        );
        return { assignment, created: true };
      });
    } catch (error) {
      if (!isDbError(error, EXCLUSION_VIOLATION)) throw error;
      const holder = await this.repo.holderOf(siteId, body.resource!, startsAt);
      throw new DomainError(
        ErrorCode.Conflict,
        holder
          ? `resource ${body.resource} is held by contract ${holder.contractId} (assignment ${holder.id})`
          : `resource ${body.resource} is held by another contract`,
      );
    }
  }

  async list(siteId: string, contractId: string): Promise<Assignment[]> {
    await this.contract(siteId, contractId);
    return this.repo.listAssignments(siteId, contractId);
  }

  /** Handing an item back: released now; releasing a released one changes nothing. */
  async release(
    siteId: string,
    contractId: string,
    assignmentId: string,
    actor: string,
  ): Promise<Assignment> {
    const day = await this.calendar.day(siteId);
    const existing = await this.repo.findAssignment(siteId, assignmentId);
    if (!existing || existing.contractId !== contractId)
      throw notFound(`assignment ${assignmentId} of contract ${contractId}`);
    return this.repo.db.transaction(async (tx) => {
      const [released] = await this.repo.release(tx, siteId, { assignmentId }, day.now);
      if (!released) return existing;
      await this.audit.record(
        tx,
        {
          siteId,
          actor,
          action: 'assignment.released',
          subject: `contract:${contractId}`,
          detail: { assignment: assignmentId },
        },
        day.now,
      );
      return released;
    });
  }

  private async contract(siteId: string, contractId: string): Promise<Contract> {
    const contract = await this.repo.find(siteId, contractId);
    if (!contract) throw notFound(`contract ${contractId} at site ${siteId}`);
    return contract;
  }

  private async checkResource(contract: Contract, resourceId: string): Promise<void> {
    const kind = await this.repo.resourceKind(contract.siteId, resourceId);
    if (!kind)
      throw invalid('unknown resource', [
        { path: 'resource', message: `no resource ${resourceId} at site ${contract.siteId}` },
      ]);
    if (!ASSIGNABLE.includes(kind))
      throw invalid('the resource cannot be assigned', [
        {
          path: 'resource',
          message: `a ${kind} is booked, not assigned (assignable: ${ASSIGNABLE.join(', ')})`,
        },
      ]);
    if (kind === 'desk') {
      const plan = (await this.plans.find(contract.siteId, contract.planId))!;
      if (!DESK_PLANS.includes(plan.kind))
        throw invalid('the resource cannot be assigned', [
          {
            path: 'resource',
            message: `a desk of one's own needs a ${DESK_PLANS.join(' or ')} plan, not ${plan.kind}`,
          },
        ]);
    }
  }
}
