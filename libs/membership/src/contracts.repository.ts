import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '@cw/database';
import { Assignment, Contract, ContractStatus, EndReason, LocalDate } from './membership.types';

interface ContractRow {
  site_id: string;
  id: string;
  member_id: string;
  company_id: string | null;
  plan_id: string;
  price_minor: number;
  start_date: string;
  end_date: string | null;
  notice_days: number;
  status: ContractStatus;
  end_reason: EndReason | null;
  replaced_by: string | null;
  notice_given_at: Date | null;
  created_at: Date;
}

interface AssignmentRow {
  site_id: string;
  id: string;
  contract_id: string;
  member_id: string;
  resource_id: string | null;
  item: string | null;
  starts_at: Date;
  released_at: Date | null;
}

// Dates travel as text: a `date` parsed by a driver becomes a local-midnight Date, which shifts with the zone.
const CONTRACT_COLUMNS =
  'site_id, id, member_id, company_id, plan_id, price_minor, start_date::text AS start_date, ' +
  'end_date::text AS end_date, notice_days, status, end_reason, replaced_by, notice_given_at, created_at';
const ASSIGNMENT_COLUMNS = 'site_id, id, contract_id, member_id, resource_id, item, starts_at, released_at';

const toContract = (r: ContractRow): Contract => ({
  siteId: r.site_id,
  id: r.id,
  memberId: r.member_id,
  companyId: r.company_id,
  planId: r.plan_id,
  priceMinor: r.price_minor,
  start: r.start_date,
  end: r.end_date,
  noticeDays: r.notice_days,
  status: r.status,
  endReason: r.end_reason,
  replacedBy: r.replaced_by,
  noticeGivenAt: r.notice_given_at ? new Date(r.notice_given_at) : null,
  createdAt: new Date(r.created_at),
});

const toAssignment = (r: AssignmentRow): Assignment => ({
  siteId: r.site_id,
  id: r.id,
  contractId: r.contract_id,
  memberId: r.member_id,
  resourceId: r.resource_id,
  item: r.item,
  startsAt: new Date(r.starts_at),
  releasedAt: r.released_at ? new Date(r.released_at) : null,
});

export type NewContract = Pick<
  Contract,
  'siteId' | 'id' | 'memberId' | 'companyId' | 'planId' | 'priceMinor' | 'start' | 'end'
> & { noticeDays?: number };

export type ContractState = Pick<Contract, 'end' | 'status' | 'endReason' | 'replacedBy' | 'noticeGivenAt'>;

/**
 * Contracts and the resources they hold. Overlaps are refused by the database: `contracts_no_overlap` (one contract
 * per member at a time) and `resource_assignments_one_holder`, both SQLSTATE 23P01.
 */
@Injectable()
export class ContractsRepository {
  constructor(readonly db: Database) {}

  async insert(q: Queryable, c: NewContract): Promise<Contract | undefined> {
    const { rows } = await q.query<ContractRow>(
      `INSERT INTO contracts (site_id, id, member_id, company_id, plan_id, price_minor, start_date, end_date, notice_days)
       VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8::date, COALESCE($9::integer, 30))
       ON CONFLICT (site_id, id) DO NOTHING RETURNING ${CONTRACT_COLUMNS}`,
      [c.siteId, c.id, c.memberId, c.companyId, c.planId, c.priceMinor, c.start, c.end, c.noticeDays ?? null],
    );
    return rows[0] && toContract(rows[0]);
  }

  async find(siteId: string, id: string, q: Queryable = this.db): Promise<Contract | undefined> {
    const { rows } = await q.query<ContractRow>(
      `SELECT ${CONTRACT_COLUMNS} FROM contracts WHERE site_id = $1 AND id = $2`,
      [siteId, id],
    );
    return rows[0] && toContract(rows[0]);
  }

  async lock(q: Queryable, siteId: string, id: string): Promise<Contract | undefined> {
    const { rows } = await q.query<ContractRow>(
      `SELECT ${CONTRACT_COLUMNS} FROM contracts WHERE site_id = $1 AND id = $2 FOR UPDATE`,
      [siteId, id],
    );
    return rows[0] && toContract(rows[0]);
  }

  async list(siteId: string, filter: { memberId?: string; status?: ContractStatus }): Promise<Contract[]> {
    const { rows } = await this.db.query<ContractRow>(
      `SELECT ${CONTRACT_COLUMNS} FROM contracts
       WHERE site_id = $1 AND ($2::text IS NULL OR member_id = $2) AND ($3::text IS NULL OR status = $3)
       ORDER BY member_id, start_date, id`,
      [siteId, filter.memberId ?? null, filter.status ?? null],
    );
    return rows.map(toContract);
  }

  async save(q: Queryable, siteId: string, id: string, s: ContractState): Promise<Contract> {
    const { rows } = await q.query<ContractRow>(
      `UPDATE contracts SET end_date = $3::date, status = $4, end_reason = $5, replaced_by = $6, notice_given_at = $7
       WHERE site_id = $1 AND id = $2 RETURNING ${CONTRACT_COLUMNS}`,
      [siteId, id, s.end, s.status, s.endReason, s.replacedBy, s.noticeGivenAt?.toISOString() ?? null],
    );
    return toContract(rows[0]);
  }

  /** The member's contract that covers part of [start, end), to name it when the database refuses an overlap. */
  async overlapping(
    siteId: string,
    memberId: string,
    start: LocalDate,
    end: LocalDate | null,
    excludeId: string,
  ): Promise<Contract | undefined> {
    const { rows } = await this.db.query<ContractRow>(
      `SELECT ${CONTRACT_COLUMNS} FROM contracts
       WHERE site_id = $1 AND member_id = $2 AND status <> 'cancelled' AND id <> $5
         AND daterange(start_date, end_date, '[)') && daterange($3::date, $4::date, '[)')
       ORDER BY start_date LIMIT 1`,
      [siteId, memberId, start, end, excludeId],
    );
    return rows[0] && toContract(rows[0]);
  }

  /** Contracts still marked active whose end has come: locked, so the caller can close them in the same transaction. */
  async lockDueToEnd(q: Queryable, siteId: string, today: LocalDate, memberId?: string): Promise<Contract[]> {
    const { rows } = await q.query<ContractRow>(
      `SELECT ${CONTRACT_COLUMNS} FROM contracts
       WHERE site_id = $1 AND status = 'active' AND end_date <= $2::date AND ($3::text IS NULL OR member_id = $3)
       ORDER BY id FOR UPDATE`,
      [siteId, today, memberId ?? null],
    );
    return rows.map(toContract);
  }

  /** The member's contracts that have not ended by `today` (running or upcoming), locked. */
  async lockOpenForMember(
    q: Queryable,
    siteId: string,
    memberId: string,
    today: LocalDate,
  ): Promise<Contract[]> {
    const { rows } = await q.query<ContractRow>(
      `SELECT ${CONTRACT_COLUMNS} FROM contracts
       WHERE site_id = $1 AND member_id = $2 AND status <> 'cancelled' AND (end_date IS NULL OR end_date > $3::date)
       ORDER BY start_date FOR UPDATE`,
      [siteId, memberId, today],
    );
    return rows.map(toContract);
  }

  /**
   * Active members whose last contract has ended by `today`: they held at least one contract that ran, and none runs
   * or is still to come. A member whose only contract was voided before it began never boarded, so is left alone.
   */
  async membersDueForOffboarding(
    q: Queryable,
    siteId: string,
    today: LocalDate,
    memberId?: string,
  ): Promise<string[]> {
    const { rows } = await q.query<{ id: string }>(
      `SELECT m.id FROM members m
       WHERE m.site_id = $1 AND m.status = 'active' AND ($3::text IS NULL OR m.id = $3)
         AND EXISTS (SELECT 1 FROM contracts c
                     WHERE c.site_id = m.site_id AND c.member_id = m.id AND c.status <> 'cancelled')
         AND NOT EXISTS (SELECT 1 FROM contracts c
                         WHERE c.site_id = m.site_id AND c.member_id = m.id AND c.status <> 'cancelled'
                           AND (c.end_date IS NULL OR c.end_date > $2::date))
       ORDER BY m.id`,
      [siteId, today, memberId ?? null],
    );
    return rows.map((r) => r.id);
  }

  async insertAssignment(q: Queryable, a: Omit<Assignment, 'releasedAt'>): Promise<Assignment | undefined> {
    const { rows } = await q.query<AssignmentRow>(
      `INSERT INTO resource_assignments (site_id, id, contract_id, member_id, resource_id, item, starts_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (site_id, id) DO NOTHING RETURNING ${ASSIGNMENT_COLUMNS}`,
      [a.siteId, a.id, a.contractId, a.memberId, a.resourceId, a.item, a.startsAt.toISOString()],
    );
    return rows[0] && toAssignment(rows[0]);
  }

  async findAssignment(siteId: string, id: string, q: Queryable = this.db): Promise<Assignment | undefined> {
    const { rows } = await q.query<AssignmentRow>(
      `SELECT ${ASSIGNMENT_COLUMNS} FROM resource_assignments WHERE site_id = $1 AND id = $2`,
      [siteId, id],
    );
    return rows[0] && toAssignment(rows[0]);
  }

  async listAssignments(siteId: string, contractId: string): Promise<Assignment[]> {
    const { rows } = await this.db.query<AssignmentRow>(
      `SELECT ${ASSIGNMENT_COLUMNS} FROM resource_assignments WHERE site_id = $1 AND contract_id = $2
       ORDER BY starts_at, id`,
      [siteId, contractId],
    );
    return rows.map(toAssignment);
  }

  /** Who holds the resource at `at` or later, to name them when the database refuses a second holder. */
  async holderOf(siteId: string, resourceId: string, at: Date): Promise<Assignment | undefined> {
    const { rows } = await this.db.query<AssignmentRow>(
      `SELECT ${ASSIGNMENT_COLUMNS} FROM resource_assignments
       WHERE site_id = $1 AND resource_id = $2 AND (released_at IS NULL OR released_at > $3)
       ORDER BY starts_at LIMIT 1`,
      [siteId, resourceId, at.toISOString()],
    );
    return rows[0] && toAssignment(rows[0]);
  }

  /**
   * Releases at `at` what is still held (or held past `at`). An assignment that begins later is closed at its own
   * start, since a range may not end before it begins.
   */
  async release(
    q: Queryable,
    siteId: string,
    scope: { contractId?: string; memberId?: string; assignmentId?: string },
    at: Date,
  ): Promise<Assignment[]> {
    const { rows } = await q.query<AssignmentRow>(
      `UPDATE resource_assignments SET released_at = GREATEST($5::timestamptz, starts_at)
       WHERE site_id = $1 AND ($2::text IS NULL OR contract_id = $2) AND ($3::text IS NULL OR member_id = $3)
         AND ($4::text IS NULL OR id = $4) AND (released_at IS NULL OR released_at > $5::timestamptz)
       RETURNING ${ASSIGNMENT_COLUMNS}`,
      [
        siteId,
        scope.contractId ?? null,
        scope.memberId ?? null,
        scope.assignmentId ?? null,
        at.toISOString(),
      ],
    );
    return rows.map(toAssignment);
  }

  async resourceKind(siteId: string, resourceId: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ kind: string }>(
      'SELECT kind FROM resources WHERE site_id = $1 AND id = $2',
      [siteId, resourceId],
    );
    return rows[0]?.kind;
  }
}
