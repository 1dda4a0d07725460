import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock, DomainError, ErrorCode, invalid, notFound } from '@cw/common';
import { AccessDirectory } from './access-directory';
import { AccessEvents } from './access.events';
import { AccessRepository } from './access.repository';
import { AccessSettings, AccessZone, Credential } from './access.types';
import { CredentialBody, ZoneBody } from './dto/access.dto';

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

/** Zones, credentials and access settings: the admin side of access. */
@Injectable()
export class AccessService {
  constructor(
    private readonly repository: AccessRepository,
    private readonly directory: AccessDirectory,
    private readonly events: AccessEvents,
    private readonly clock: Clock,
  ) {}

  // -- zones ------------------------------------------------------------------------------------------------------

  async listZones(siteId: string): Promise<AccessZone[]> {
    await this.requireSite(siteId);
    return this.repository.listZones(siteId);
  }

  async getZone(siteId: string, zoneId: string): Promise<AccessZone> {
    await this.requireSite(siteId);
    const zone = await this.repository.findZone(siteId, zoneId);
    if (!zone) throw notFound(`access zone ${zoneId}`);
    return zone;
  }

  /** A zone holds door devices of its own site only; anything else is a 400 naming the entry. */
  async putZone(
    siteId: string,
    zoneId: string,
    body: ZoneBody,
  ): Promise<{ created: boolean; zone: AccessZone }> {
    await this.requireSite(siteId);
    const doors = new Set((await this.repository.doors(siteId)).map((door) => door.id));
    const errors = body.doors.flatMap((door, i) =>
      doors.has(door) ? [] : [{ path: `doors.${i}`, message: `${door} is not a door of site ${siteId}` }],
    );
    if (errors.length) throw invalid('a zone holds doors of its site only', errors);
    const zone = { id: zoneId, name: body.name, doorIds: body.doors };
    const created = await this.repository.upsertZone(siteId, zone);
    this.siteAccessChanged(siteId);
    return { created, zone };
  }

  async deleteZone(siteId: string, zoneId: string): Promise<void> {
    await this.requireSite(siteId);
    if (!(await this.repository.deleteZone(siteId, zoneId))) throw notFound(`access zone ${zoneId}`);
    this.siteAccessChanged(siteId);
  }

  // -- settings ---------------------------------------------------------------------------------------------------

  async getSettings(siteId: string): Promise<AccessSettings> {
    const settings = await this.repository.siteSettings(siteId);
    if (!settings) throw notFound(`site ${siteId}`);
    return { bookingMarginMinutes: settings.bookingMarginMinutes };
  }

  async putSettings(siteId: string, settings: AccessSettings): Promise<AccessSettings> {
    await this.requireSite(siteId);
    await this.repository.setBookingMargin(siteId, settings.bookingMarginMinutes);
    this.siteAccessChanged(siteId);
    return settings;
  }

  // -- credentials ------------------------------------------------------------------------------------------------

  async listCredentials(siteId: string, memberId: string): Promise<Credential[]> {
    await this.requireMember(siteId, memberId);
    return this.repository.listCredentials(siteId, memberId);
  }

  /** 409 when the member has left, the id is taken, or the value is already active at the site. */
  async issueCredential(siteId: string, memberId: string, body: CredentialBody): Promise<Credential> {
    const status = await this.requireMember(siteId, memberId);
    if (status !== 'active')
      throw new DomainError(
        ErrorCode.Conflict,
        `member ${memberId} has left (${status}): no new credentials`,
      );
    const id = body.id ?? `cred-${randomUUID()}`;
    if (await this.repository.findCredential(siteId, id))
      throw new DomainError(ErrorCode.Conflict, `credential ${id} already exists`, [
        { path: 'id', message: 'already exists' },
      ]);
    try {
      const credential = await this.repository.insertCredential(siteId, {
        id,
        memberId,
        kind: body.kind,
        value: body.value,
        issuedAt: this.clock.now(),
      });
      this.events.emit('credential.changed', { siteId, memberId, credentialId: id, change: 'issued' });
      return credential;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // lost a race for the id, or the value is held by an active credential
      const raced = await this.repository.findCredential(siteId, id);
      throw raced
        ? new DomainError(ErrorCode.Conflict, `credential ${id} already exists`, [
            { path: 'id', message: 'already exists' },
          ])
        : new DomainError(ErrorCode.Conflict, 'this value is already an active credential at the site', [
            { path: 'value', message: 'already active' },
          ]);
    }
  }

  /** Idempotent: revoking a revoked credential answers it as it was revoked the first time. */
  async revokeCredential(
    siteId: string,
    memberId: string,
    credentialId: string,
    reason: string,
  ): Promise<Credential> {
    await this.requireMember(siteId, memberId);
    const existing = await this.repository.findCredential(siteId, credentialId);
    if (!existing || existing.memberId !== memberId)
      throw notFound(`credential ${credentialId} of member ${memberId}`);
    if (existing.revokedAt) return existing;
    const revoked = await this.repository.revokeCredential(siteId, credentialId, this.clock.now(), reason);
    if (!revoked) throw notFound(`credential ${credentialId}`);
    this.events.emit('credential.changed', { siteId, memberId, credentialId, change: 'revoked' });
    return revoked;
  }

  private siteAccessChanged(siteId: string): void {
    this.directory.invalidate(siteId);
    this.events.emit('site.access.changed', { siteId });
  }

  private async requireSite(siteId: string): Promise<void> {
    if (!(await this.directory.site(siteId))) throw notFound(`site ${siteId}`);
  }

  private async requireMember(siteId: string, memberId: string) {
    await this.requireSite(siteId);
    const status = await this.repository.memberStatus(siteId, memberId);
    if (!status) throw notFound(`member ${memberId}`);
    return status;
  }
}
