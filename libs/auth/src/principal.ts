export const ROLES = ['admin', 'manager', 'integration', 'device'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: an API key with its role and, unless it spans every site, its one site. */
export interface Principal {
  keyId: string;
  name: string;
  role: Role;
  siteId: string | null;
}

export function canActOnSite(principal: Principal, siteId: string): boolean {
  return principal.siteId === null || principal.siteId === siteId;
}
