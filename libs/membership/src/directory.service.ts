import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, invalid, notFound } from '@cw/common';
import { constraintOf, FOREIGN_KEY_VIOLATION, isDbError, UNIQUE_VIOLATION } from './db-errors';
import { CompanyBody, MemberBody } from './dto/directory.dto';
import { Company, Member, MemberStatus, Upserted } from './membership.types';
import { MembersRepository } from './members.repository';
import { SiteCalendar } from './site-calendar';

/** Companies and members, each written whole by PUT (idempotent: the same body twice leaves the same record). */
@Injectable()
export class DirectoryService {
  constructor(
    private readonly repo: MembersRepository,
    private readonly calendar: SiteCalendar,
  ) {}

  async putCompany(siteId: string, id: string, body: CompanyBody): Promise<Upserted<Company>> {
    await this.calendar.day(siteId);
    const billingMemberId = body.billingMember ?? null;
    if (billingMemberId) {
      const contact = await this.repo.findMember(siteId, billingMemberId);
      if (!contact || contact.companyId !== id)
        throw invalid('the billing contact is invalid', [
          {
            path: 'billingMember',
            message: contact
              ? `member ${billingMemberId} does not belong to company ${id}`
              : `unknown member ${billingMemberId}`,
          },
        ]);
    }
    return this.repo.db.transaction((tx) =>
      this.repo.upsertCompany(tx, siteId, id, {
        name: body.name,
        billingEmail: body.billingEmail ?? null,
        billingMemberId,
        taxId: body.taxId ?? null,
        address: body.address ?? null,
      }),
    );
  }

  async getCompany(
    siteId: string,
    id: string,
  ): Promise<{ company: Company; members: string[]; teams: string[] }> {
    const company = await this.repo.findCompany(siteId, id);
    if (!company) throw notFound(`company ${id} at site ${siteId}`);
    const members = await this.repo.companyMembers(siteId, id);
    const teams = [...new Set(members.flatMap((m) => (m.team ? [m.team] : [])))].sort();
    return { company, members: members.map((m) => m.id), teams };
  }

  async listCompanies(siteId: string): Promise<Company[]> {
    await this.calendar.day(siteId);
    return this.repo.listCompanies(siteId);
  }

  async putMember(siteId: string, id: string, body: MemberBody): Promise<Upserted<Member>> {
    await this.calendar.day(siteId);
    try {
      return await this.repo.db.transaction(async (tx) => {
        const existing = await this.repo.lockMember(tx, siteId, id);
        if (existing?.status === 'erased')
          throw new DomainError(
            ErrorCode.Conflict,
            `member ${id} was erased; an erased member's record is not filled in again (use a new id)`,
          );
        return this.repo.upsertMember(tx, siteId, id, {
          name: body.name,
          email: body.email ?? null,
          phone: body.phone ?? null,
          address: body.address ?? null,
          taxId: body.taxId ?? null,
          companyId: body.company ?? null,
          team: body.team ?? null,
        });
      });
    } catch (error) {
      if (isDbError(error, FOREIGN_KEY_VIOLATION))
        throw invalid('the member refers to an unknown company', [
          { path: 'company', message: `unknown company ${body.company}` },
        ]);
      if (isDbError(error, UNIQUE_VIOLATION) && constraintOf(error) === 'members_site_email')
        throw new DomainError(
          ErrorCode.Conflict,
          `another member of site ${siteId} has the email ${body.email}`,
          [{ path: 'email', message: 'already used by another member' }],
        );
      throw error;
    }
  }

  async getMember(siteId: string, id: string): Promise<Member> {
    const member = await this.repo.findMember(siteId, id);
    if (!member) throw notFound(`member ${id} at site ${siteId}`);
    return member;
  }

  async listMembers(
    siteId: string,
    filter: { companyId?: string; status?: MemberStatus },
  ): Promise<Member[]> {
    await this.calendar.day(siteId);
    return this.repo.listMembers(siteId, filter);
  }
}
