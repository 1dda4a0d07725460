import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '@cw/database';

/** A pseudonym for a credential value: salted, so nobody holding the card can find its events again. */
const PSEUDONYM = `'erased-' || substr(encode(sha256(convert_to($3 || ':' || VALUE, 'UTF8')), 'hex'), 1, 16)`;
const pseudonymOf = (column: string) => PSEUDONYM.replace('VALUE', column);

/**
 * A door event belongs to a member when it names them, or when it carries one of their credentials while that
 * credential was theirs (and names nobody else): a card number may be issued again to someone else later.
 */
const ATTRIBUTED = `d.site_id = $1 AND (d.member_id = $2 OR (d.member_id IS NULL AND EXISTS (
  SELECT 1 FROM credentials c WHERE c.site_id = $1 AND c.member_id = $2 AND c.value = d.credential
    AND d.ts >= c.issued_at AND (c.revoked_at IS NULL OR d.ts < c.revoked_at))))`;

const rows = (sql: string) => `COALESCE((${sql}), '[]'::jsonb)`;

/**
 * Everything held about one member, as one JSON document: what they are, hold, booked, spent, were invoiced and paid,
 * and where their credentials opened doors. Rows keep their column names; the service renames them.
 */
const EXPORT_SQL = `
SELECT jsonb_build_object(
  'member', (SELECT to_jsonb(m) FROM members m WHERE m.site_id = $1 AND m.id = $2),
  'company', (SELECT to_jsonb(co) FROM companies co JOIN members m ON m.site_id = co.site_id AND m.company_id = co.id
              WHERE m.site_id = $1 AND m.id = $2),
  'contracts', ${rows(`SELECT jsonb_agg(to_jsonb(c) ORDER BY c.start_date, c.id) FROM contracts c
                       WHERE c.site_id = $1 AND c.member_id = $2`)},
  'assignments', ${rows(`SELECT jsonb_agg(to_jsonb(a) ORDER BY a.starts_at, a.id) FROM resource_assignments a
                         WHERE a.site_id = $1 AND a.member_id = $2`)},
  'credentials', ${rows(`SELECT jsonb_agg(to_jsonb(c) ORDER BY c.issued_at, c.id) FROM credentials c
                         WHERE c.site_id = $1 AND c.member_id = $2`)},
  'bookings', ${rows(`SELECT jsonb_agg(to_jsonb(b) ORDER BY b.start_at, b.id) FROM bookings b
                      WHERE b.site_id = $1 AND b.member_id = $2`)},
  'bookingCharges', ${rows(`SELECT jsonb_agg(to_jsonb(bc) ORDER BY bc.created_at, bc.booking_id) FROM booking_charges bc
                            WHERE bc.site_id = $1 AND bc.member_id = $2`)},
  'creditLedger', ${rows(`SELECT jsonb_agg(to_jsonb(l) ORDER BY l.id) FROM credit_ledger l
                          WHERE l.site_id = $1 AND l.member_id = $2`)},
  'vouchers', ${rows(
    `SELECT jsonb_agg(to_jsonb(v) || jsonb_build_object('spends', ${rows(
      `SELECT jsonb_agg(to_jsonb(s) ORDER BY s.id) FROM voucher_spends s WHERE s.site_id = v.site_id AND s.code = v.code`,
    )}) ORDER BY v.created_at, v.code) FROM vouchers v WHERE v.site_id = $1 AND v.member_id = $2`,
  )},
  'oneOffCharges', ${rows(`SELECT jsonb_agg(to_jsonb(o) ORDER BY o.charge_date, o.id) FROM one_off_charges o
                           WHERE o.site_id = $1 AND o.member_id = $2`)},
  'invoices', ${rows(
    `SELECT jsonb_agg(to_jsonb(i) || jsonb_build_object('lines', ${rows(
      `SELECT jsonb_agg(to_jsonb(il) ORDER BY il.line_no) FROM invoice_lines il
     WHERE il.site_id = i.site_id AND il.invoice_id = i.id`,
    )}) ORDER BY i.issue_date, i.series, i.number) FROM invoices i WHERE i.site_id = $1 AND i.member_id = $2`,
  )},
  'payments', ${rows(
    `SELECT jsonb_agg(to_jsonb(p) || jsonb_build_object('allocations', ${rows(
      `SELECT jsonb_agg(to_jsonb(pa) ORDER BY pa.invoice_id) FROM payment_allocations pa
     WHERE pa.site_id = p.site_id AND pa.payment_id = p.id`,
    )}) ORDER BY p.received_at, p.id) FROM payments p WHERE p.site_id = $1 AND p.member_id = $2`,
  )},
  'doorEvents', ${rows(`SELECT jsonb_agg(to_jsonb(d) ORDER BY d.ts, d.event_id) FROM door_events d WHERE ${ATTRIBUTED}`)},
  'apiKeys', ${rows(`SELECT jsonb_agg(jsonb_build_object('id', k.id, 'name', k.name, 'role', k.role,
                       'created_at', k.created_at, 'revoked_at', k.revoked_at) ORDER BY k.created_at, k.id)
                     FROM api_keys k WHERE k.site_id = $1 AND k.member_id = $2`)},
  'auditLog', ${rows(`SELECT jsonb_agg(to_jsonb(al) ORDER BY al.id) FROM audit_log al
                      WHERE al.site_id = $1 AND al.subject = 'member:' || $2`)}
) AS document`;

@Injectable()
export class PrivacyRepository {
  constructor(readonly db: Database) {}

  async exportMember(siteId: string, memberId: string): Promise<Record<string, unknown>> {
    const { rows: result } = await this.db.query<{ document: Record<string, unknown> }>(EXPORT_SQL, [
      siteId,
      memberId,
    ]);
    const document = result[0].document;
    return typeof document === 'string' ? (JSON.parse(document) as Record<string, unknown>) : document;
  }

  /** Offboarding and erasure: every live credential of the member stops opening doors. */
  async revokeCredentials(
    q: Queryable,
    siteId: string,
    memberId: string,
    reason: string,
    at: Date,
  ): Promise<number> {
    const { rowCount } = await q.query(
      `UPDATE credentials SET revoked_at = $4, revoke_reason = $3
       WHERE site_id = $1 AND member_id = $2 AND revoked_at IS NULL`,
      [siteId, memberId, reason, at.toISOString()],
    );
    return rowCount;
  }

  /**
   * Door events of the member (a hypertable UPDATE): the member reference becomes the pseudonym, the credential a
   * salted hash. Runs before the credentials themselves are pseudonymised, since it finds events by their values.
   */
  async pseudonymiseDoorEvents(
    q: Queryable,
    siteId: string,
    memberId: string,
    salt: string,
    pseudonym: string,
  ): Promise<number> {
    const { rowCount } = await q.query(
      `UPDATE door_events d SET credential = ${pseudonymOf('d.credential')},
         member_id = CASE WHEN d.member_id = $2 THEN $4 ELSE d.member_id END
       WHERE ${ATTRIBUTED}`,
      [siteId, memberId, salt, pseudonym],
    );
    return rowCount;
  }

  /**
   * The KPI store's copy of the member's entries takes the pseudonym too, and their days are marked for the KPI
   * maintenance job to re-derive, which replaces the visits aggregate's rows for those days (an aggregate cannot be
   * refreshed inside this transaction).
   */
  async pseudonymiseKpiEntries(
    q: Queryable,
    siteId: string,
    memberId: string,
    pseudonym: string,
  ): Promise<number> {
    await q.query(
      `INSERT INTO kpi_dirty_days (site_id, local_date)
       SELECT DISTINCT site_id, local_date FROM kpi_member_entries WHERE site_id = $1 AND member_id = $2
       ON CONFLICT (site_id, local_date) DO UPDATE SET marked_at = now()`,
      [siteId, memberId],
    );
    const { rowCount } = await q.query(
      `UPDATE kpi_member_entries SET member_id = $3 WHERE site_id = $1 AND member_id = $2`,
      [siteId, memberId, pseudonym],
    );
    return rowCount;
  }

  async pseudonymiseCredentials(
    q: Queryable,
    siteId: string,
    memberId: string,
    salt: string,
  ): Promise<number> {
    const { rowCount } = await q.query(
      `UPDATE credentials SET value = ${pseudonymOf('value')} WHERE site_id = $1 AND member_id = $2`,
      [siteId, memberId, salt],
    );
    return rowCount;
  }

  /** The member's own API keys: nobody is left for them to act as. */
  async revokeMemberKeys(q: Queryable, siteId: string, memberId: string, at: Date): Promise<number> {
    const { rowCount } = await q.query(
      `UPDATE api_keys SET revoked_at = $3 WHERE site_id = $1 AND member_id = $2 AND revoked_at IS NULL`,
      [siteId, memberId, at.toISOString()],
    );
    return rowCount;
  }
}
