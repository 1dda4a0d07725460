import { createHash, randomBytes } from 'node:crypto';

/** Tokens are random 256-bit secrets; only their sha256 is stored, which is enough for secrets of this entropy. */
export function generateToken(): string {
  return `cwk_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** `Authorization: Bearer <token>`; anything else is no credential at all. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
