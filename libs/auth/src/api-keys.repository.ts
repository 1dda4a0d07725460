import { Injectable } from '@nestjs/common';
import { Database } from '@cw/database';
import { Role } from './principal';

export interface ApiKeyRow {
  id: string;
  name: string;
  role: Role;
  site_id: string | null;
  member_id: string | null;
  created_at: Date;
  revoked_at: Date | null;
}

@Injectable()
export class ApiKeysRepository {
  constructor(private readonly db: Database) {}

  async insert(key: {
    id: string;
    name: string;
    role: Role;
    siteId: string | null;
    memberId: string | null;
    secretHash: string;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO api_keys (id, name, role, site_id, member_id, secret_hash) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, role = EXCLUDED.role, site_id = EXCLUDED.site_id,
         member_id = EXCLUDED.member_id, secret_hash = EXCLUDED.secret_hash, revoked_at = NULL`,
      [key.id, key.name, key.role, key.siteId, key.memberId, key.secretHash],
    );
  }

  async findActiveByHash(secretHash: string): Promise<ApiKeyRow | undefined> {
    const { rows } = await this.db.query<ApiKeyRow>(
      `SELECT id, name, role, site_id, member_id, created_at, revoked_at FROM api_keys
       WHERE secret_hash = $1 AND revoked_at IS NULL`,
      [secretHash],
    );
    return rows[0];
  }

  async list(siteId: string | null): Promise<ApiKeyRow[]> {
    const { rows } = await this.db.query<ApiKeyRow>(
      `SELECT id, name, role, site_id, member_id, created_at, revoked_at FROM api_keys
       WHERE ($1::text IS NULL OR site_id = $1) ORDER BY created_at`,
      [siteId],
    );
    return rows;
  }

  async revoke(id: string): Promise<boolean> {
    const result = await this.db.query(
      'UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL',
      [id],
    );
    return result.rowCount > 0;
  }
}
