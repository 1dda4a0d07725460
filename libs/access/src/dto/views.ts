import { AccessZone, Credential } from '../access.types';

/** The public shapes: what the API answers, never database rows. */
export const zoneView = (siteId: string, zone: AccessZone) => ({
  site: siteId,
  id: zone.id,
  name: zone.name,
  doors: zone.doorIds,
});

export const credentialView = (siteId: string, credential: Credential) => ({
  site: siteId,
  id: credential.id,
  member: credential.memberId,
  kind: credential.kind,
  value: credential.value,
  issuedAt: credential.issuedAt.toISOString(),
  revokedAt: credential.revokedAt?.toISOString() ?? null,
  revokeReason: credential.revokeReason,
});
