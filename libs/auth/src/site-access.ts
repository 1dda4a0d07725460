import { forbidden } from '@cw/common';
import { canActOnSite, Principal } from './principal';

export function assertSiteAccess(principal: Principal, siteId: string): void {
  if (!canActOnSite(principal, siteId)) throw forbidden(`this key may not act on site ${siteId}`);
}
