import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '@cw/database';

export interface AuditEntry {
  siteId: string;
  /** The API key (or job) that acted. */
  actor: string;
  action: string;
  /** What was acted on, e.g. `member:m1` or `contract:c1`. */
  subject: string;
  /** Ids and dates only: personal data kept here would survive an erasure. */
  detail?: Record<string, unknown>;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly db: Database) {}

  async record(q: Queryable, entry: AuditEntry, at: Date): Promise<void> {
    await q.query(
      'INSERT INTO audit_log (site_id, at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5, $6::jsonb)',
      [
        entry.siteId,
        at.toISOString(),
        entry.actor,
        entry.action,
        entry.subject,
        JSON.stringify(entry.detail ?? {}),
      ],
    );
  }

  async list(siteId: string, subject: string): Promise<Record<string, unknown>[]> {
    const { rows } = await this.db.query<Record<string, unknown>>(
      `SELECT id, at, actor, action, subject, detail FROM audit_log WHERE site_id = $1 AND subject = $2 ORDER BY id`,
      [siteId, subject],
    );
    return rows;
  }
}
