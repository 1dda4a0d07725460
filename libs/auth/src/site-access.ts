import { forbidden } from '@cw/common';
import { canActOnSite, canSeeMember, Principal } from './principal';

export function assertSiteAccess(principal: Principal, siteId: string): void {
  if (!canActOnSite(principal, siteId)) throw forbidden(`this key may not act on site ${siteId}`);
}

export function assertMemberAccess(principal: Principal, siteId: string, memberId: string): void {
  assertSiteAccess(principal, siteId);
  if (!canSeeMember(principal, memberId)) throw forbidden(`this key may not read member ${memberId}`);
}
