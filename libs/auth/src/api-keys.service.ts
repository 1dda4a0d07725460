import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { generateToken, hashToken } from './api-key.token';
import { ApiKeysRepository } from './api-keys.repository';
import { Principal, Role } from './principal';

const CACHE_TTL_MS = 10_000;

export interface NewKey {
  name: string;
  role: Role;
  siteId: string | null;
  /** Member keys: the member they act as. */
  memberId?: string | null;
  /** Operator-chosen id; generated when absent. */
  id?: string;
  /** Use this secret instead of a generated one (ADMIN_API_KEY at boot). */
  token?: string;
}

@Injectable()
export class ApiKeysService {
  // Every HTTP request and MQTT connect verifies a key; a short cache spares the database, at the cost of a
  // revocation taking up to CACHE_TTL_MS to bite.
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();

  constructor(private readonly keys: ApiKeysRepository) {}

  async create(input: NewKey): Promise<{ id: string; token: string }> {
    const token = input.token ?? generateToken();
    const id = input.id ?? `key_${randomUUID()}`;
    await this.keys.insert({
      id,
      name: input.name,
      role: input.role,
      siteId: input.siteId,
      memberId: input.memberId ?? null,
      secretHash: hashToken(token),
    });
    this.cache.clear();
    return { id, token };
  }

  async verify(token: string | undefined): Promise<Principal | null> {
    if (!token) return null;
    const hash = hashToken(token);
    const cached = this.cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.principal;
    const row = await this.keys.findActiveByHash(hash);
    const principal: Principal | null = row
      ? { keyId: row.id, name: row.name, role: row.role, siteId: row.site_id, memberId: row.member_id }
      : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { principal, until: Date.now() + CACHE_TTL_MS });
    return principal;
  }

  async revoke(id: string): Promise<boolean> {
    const revoked = await this.keys.revoke(id);
    this.cache.clear();
    return revoked;
  }

  list(siteId: string | null) {
    return this.keys.list(siteId);
  }
}
