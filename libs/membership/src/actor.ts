import { Principal } from '@cw/auth';

/** How the audit log names whoever acted: the API key, never the person behind it. */
export const actorOf = (principal: Principal) => `key:${principal.keyId}`;
