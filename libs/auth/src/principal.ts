export const ROLES = ['admin', 'manager', 'integration', 'device', 'member'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: an API key with its role and, unless it spans every site, its one site. */
export interface Principal {
  keyId: string;
  name: string;
  role: Role;
  siteId: string | null;
  /** Member keys only: the one member whose own data this key may read. */
  memberId: string | null;
}

export function canActOnSite(principal: Principal, siteId: string): boolean {
  return principal.siteId === null || principal.siteId === siteId;
}

/** A member key sees only that member's data; every other role sees any member of its sites. */
export function canSeeMember(principal: Principal, memberId: string): boolean {
  return principal.role !== 'member' || principal.memberId === memberId;
}
