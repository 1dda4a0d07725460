import { Principal } from '@cw/auth';

const INBOUND = new Set(['door', 'sensor', 'booking']);

/**
 * Clients publish only inbound event topics (`door`, `sensor`, `booking`) and only for their own site; an admin key
 * may publish for any site. Outbound topics (`state`, `release`) are the platform's alone.
 */
export function mayPublish(principal: Principal, topic: string, prefix: string): boolean {
  const parts = topic.split('/');
  if (parts[0] !== prefix || parts.length < 3 || !INBOUND.has(parts[2])) return false;
  // a member's key is for reading their own data over HTTP, never for speaking for doors, sensors or bookings
  if (principal.role === 'member') return false;
  if (principal.role === 'admin') return true;
  if (principal.role === 'manager' && principal.siteId === null) return false;
  return principal.siteId === parts[1];
}

/** Subscriptions stay inside the key's site; wildcards across sites are for admin keys only. */
export function maySubscribe(principal: Principal, filter: string, prefix: string): boolean {
  if (principal.role === 'admin') return true;
  if (principal.role === 'member') return false;
  const parts = filter.split('/');
  if (parts[0] === '$share') parts.splice(0, 2);
  return parts[0] === prefix && principal.siteId !== null && parts[1] === principal.siteId;
}
