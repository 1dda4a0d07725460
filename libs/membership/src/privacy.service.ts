import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { notFound } from '@cw/common';
import { AuditRepository } from './audit.repository';
import { MembershipEvents } from './membership.events';
import { Member } from './membership.types';
import { MembersRepository } from './members.repository';
import { OffboardingService } from './offboarding.service';
import { PendingEvents } from './pending-events';
import { PrivacyRepository } from './privacy.repository';
import { SiteCalendar } from './site-calendar';

export interface Erasure {
  member: Member;
  alreadyErased: boolean;
  credentialsPseudonymised: number;
  doorEventsPseudonymised: number;
  kpiEntriesPseudonymised: number;
  apiKeysRevoked: number;
}

const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Renames a row's columns (not the keys inside JSON values: a buyer snapshot stays as it was invoiced). */
function camelRow(row: unknown): unknown {
  if (Array.isArray(row)) return row.map(camelRow);
  if (row === null || typeof row !== 'object') return row;
  return Object.fromEntries(
    Object.entries(row as Record<string, unknown>).map(([k, v]) => [
      camel(k),
      ['lines', 'spends', 'allocations'].includes(k) ? camelRow(v) : v,
    ]),
  );
}

/** GDPR: a member's data as one document (access, portability) and erasure, which keeps what tax law requires. */
@Injectable()
export class PrivacyService {
  constructor(
    private readonly repo: PrivacyRepository,
    private readonly members: MembersRepository,
    private readonly offboarding: OffboardingService,
    private readonly audit: AuditRepository,
    private readonly calendar: SiteCalendar,
    private readonly events: MembershipEvents,
  ) {}

  async export(siteId: string, memberId: string, actor: string): Promise<Record<string, unknown>> {
    const day = await this.calendar.day(siteId);
    if (!(await this.members.findMember(siteId, memberId)))
      throw notFound(`member ${memberId} at site ${siteId}`);
    const sections = await this.repo.exportMember(siteId, memberId);
    await this.audit.record(
      this.repo.db,
      { siteId, actor, action: 'member.exported', subject: `member:${memberId}`, detail: {} },
      day.now,
    );
    return {
      exportedAt: day.now.toISOString(),
      site: siteId,
      ...Object.fromEntries(Object.entries(sections).map(([k, v]) => [k, camelRow(v)])),
    };
  }

  /**
   * Erasure, in one transaction: the member is offboarded if still active (contracts end, credentials revoked,
   * resources released); name becomes a pseudonym and contact fields go; credentials and the door events they
   * produced are pseudonymised with a salt that is then forgotten. Invoices stay as issued (tax law keeps the buyer
   * snapshot, and they are immutable); contracts stay under the member's id, which is pseudonymous on its own.
   */
  async erase(siteId: string, memberId: string, actor: string): Promise<Erasure> {
    const day = await this.calendar.day(siteId);
    const pending = new PendingEvents();
    const result = await this.members.db.transaction(async (tx): Promise<Erasure> => {
      const member = await this.members.lockMember(tx, siteId, memberId);
      if (!member) throw notFound(`member ${memberId} at site ${siteId}`);
      if (member.status === 'erased')
        return {
          member,
          alreadyErased: true,
          credentialsPseudonymised: 0,
          doorEventsPseudonymised: 0,
          kpiEntriesPseudonymised: 0,
          apiKeysRevoked: 0,
        };
      if (member.status === 'active')
        await this.offboarding.offboardLocked(tx, member, day, actor, 'erased', pending);
      const salt = randomBytes(16).toString('hex');
      const pseudonym = `erased-${createHash('sha256').update(`${salt}:${siteId}:${memberId}`).digest('hex').slice(0, 16)}`;
      const doorEventsPseudonymised = await this.repo.pseudonymiseDoorEvents(
        tx,
        siteId,
        memberId,
        salt,
        pseudonym,
      );
      const kpiEntriesPseudonymised = await this.repo.pseudonymiseKpiEntries(tx, siteId, memberId, pseudonym);
      await this.repo.revokeCredentials(tx, siteId, memberId, 'erased', day.now);
      const credentialsPseudonymised = await this.repo.pseudonymiseCredentials(tx, siteId, memberId, salt);
      const apiKeysRevoked = await this.repo.revokeMemberKeys(tx, siteId, memberId, day.now);
      const erased = await this.members.pseudonymise(tx, siteId, memberId, pseudonym, day.now);
      await this.audit.record(
        tx,
        {
          siteId,
          actor,
          action: 'member.erased',
          subject: `member:${memberId}`,
          detail: {
            credentialsPseudonymised,
            doorEventsPseudonymised,
            kpiEntriesPseudonymised,
            apiKeysRevoked,
          },
        },
        day.now,
      );
      return {
        member: erased,
        alreadyErased: false,
        credentialsPseudonymised,
        doorEventsPseudonymised,
        kpiEntriesPseudonymised,
        apiKeysRevoked,
      };
    });
    pending.flush(this.events);
    return result;
  }
}
