import { Injectable } from '@nestjs/common';
import { Database } from '@cw/database';
import { HolderFacts, MemberStatus } from './rules/access-facts';
import { parseSlots, WeeklySlot } from './time/weekly-hours';
import {
  AccessZone,
  BookingAccess,
  ContractAccess,
  Credential,
  CredentialHolder,
  CredentialKind,
  PassAccess,
} from './access.types';

export const DEFAULT_BOOKING_MARGIN_MINUTES = 15;

interface CredentialRow {
  id: string;
  member_id: string;
  kind: CredentialKind;
  value: string;
  issued_at: Date;
  revoked_at: Date | null;
  revoke_reason: string | null;
}

const CREDENTIAL_COLUMNS = 'id, member_id, kind, value, issued_at, revoked_at, revoke_reason';

const toCredential = (row: CredentialRow): Credential => ({
  id: row.id,
  memberId: row.member_id,
  kind: row.kind,
  value: row.value,
  issuedAt: new Date(row.issued_at),
  revokedAt: row.revoked_at ? new Date(row.revoked_at) : null,
  revokeReason: row.revoke_reason,
});

/** What access_holder_facts (migration 0014) returns: JSON, so timestamps arrive as ISO strings with an offset. */
interface HolderJson {
  id: string;
  kind: CredentialKind;
  memberId: string;
  revokedAt: string | null;
  revokeReason: string | null;
  memberStatus: MemberStatus | null;
  contract: { id: string; planId: string; endDate: string | null; zones: string[]; hours: unknown } | null;
  bookings: { id: string; resourceId: string; start: string; end: string }[];
  passes: {
    code: string;
    balance: number;
    expiresAt: string;
    spentToday: boolean;
    zones: string[];
    hours: unknown;
  }[];
}

const UNKNOWN: HolderFacts = {
  credential: null,
  memberStatus: null,
  contract: null,
  bookings: [],
  passes: [],
};

/** All SQL of access: zones, credentials, settings, decision facts, day-pass spends and the grants export. */
@Injectable()
export class AccessRepository {
  constructor(private readonly db: Database) {}

  // -- site -------------------------------------------------------------------------------------------------------

  async siteSettings(
    siteId: string,
  ): Promise<{ timeZone: string; openingHours: WeeklySlot[]; bookingMarginMinutes: number } | undefined> {
    const { rows } = await this.db.query<{ time_zone: string; opening_hours: unknown; margin: number }>(
      `SELECT s.time_zone, s.opening_hours, coalesce(a.booking_margin_minutes, $2) AS margin
         FROM sites s LEFT JOIN access_settings a ON a.site_id = s.id WHERE s.id = $1`,
      [siteId, DEFAULT_BOOKING_MARGIN_MINUTES],
    );
    const row = rows[0];
    return row
      ? {
          timeZone: row.time_zone,
          openingHours: parseSlots(row.opening_hours),
          bookingMarginMinutes: Number(row.margin),
        }
      : undefined;
  }

  async setBookingMargin(siteId: string, minutes: number): Promise<void> {
    await this.db.query(
      `INSERT INTO access_settings (site_id, booking_margin_minutes) VALUES ($1, $2)
       ON CONFLICT (site_id) DO UPDATE SET booking_margin_minutes = EXCLUDED.booking_margin_minutes, updated_at = now()`,
      [siteId, minutes],
    );
  }

  async doors(siteId: string): Promise<{ id: string; resourceIds: string[] }[]> {
    const { rows } = await this.db.query<{ id: string; resource_ids: string[] }>(
      `SELECT id, resource_ids FROM devices WHERE site_id = $1 AND type = 'door' ORDER BY id`,
      [siteId],
    );
    return rows.map((row) => ({ id: row.id, resourceIds: row.resource_ids ?? [] }));
  }

  async listSiteIds(): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>('SELECT id FROM sites ORDER BY id');
    return rows.map((row) => row.id);
  }

  // -- zones ------------------------------------------------------------------------------------------------------

  async listZones(siteId: string): Promise<AccessZone[]> {
    const { rows } = await this.db.query<{ id: string; name: string; door_ids: string[] }>(
      'SELECT id, name, door_ids FROM access_zones WHERE site_id = $1 ORDER BY id',
      [siteId],
    );
    return rows.map((row) => ({ id: row.id, name: row.name, doorIds: row.door_ids ?? [] }));
  }

  async findZone(siteId: string, zoneId: string): Promise<AccessZone | undefined> {
    return (await this.listZones(siteId)).find((zone) => zone.id === zoneId);
  }

  /** True when the zone is new. */
  async upsertZone(siteId: string, zone: AccessZone): Promise<boolean> {
    const { rows } = await this.db.query<{ created: boolean }>(
      `INSERT INTO access_zones (site_id, id, name, door_ids) VALUES ($1, $2, $3, $4::text[])
       ON CONFLICT (site_id, id) DO UPDATE SET name = EXCLUDED.name, door_ids = EXCLUDED.door_ids
       RETURNING (xmax = 0) AS created`,
      [siteId, zone.id, zone.name, zone.doorIds],
    );
    return rows[0].created;
  }

  async deleteZone(siteId: string, zoneId: string): Promise<boolean> {
    const { rowCount } = await this.db.query('DELETE FROM access_zones WHERE site_id = $1 AND id = $2', [
      siteId,
      zoneId,
    ]);
    return rowCount > 0;
  }

  // -- members and credentials ------------------------------------------------------------------------------------

  async memberStatus(siteId: string, memberId: string): Promise<MemberStatus | undefined> {
    const { rows } = await this.db.query<{ status: MemberStatus }>(
      'SELECT status FROM members WHERE site_id = $1 AND id = $2',
      [siteId, memberId],
    );
    return rows[0]?.status;
  }

  /** Refused by the database (SQLSTATE 23505) when the id exists or the value is already active at the site. */
  async insertCredential(
    siteId: string,
    credential: Omit<Credential, 'revokedAt' | 'revokeReason'>,
  ): Promise<Credential> {
    const { rows } = await this.db.query<CredentialRow>(
      `INSERT INTO credentials (site_id, id, member_id, kind, value, issued_at) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING ${CREDENTIAL_COLUMNS}`,
      [
        siteId,
        credential.id,
        credential.memberId,
        credential.kind,
        credential.value,
        credential.issuedAt.toISOString(),
      ],
    );
    return toCredential(rows[0]);
  }

  async findCredential(siteId: string, credentialId: string): Promise<Credential | undefined> {
    const { rows } = await this.db.query<CredentialRow>(
      `SELECT ${CREDENTIAL_COLUMNS} FROM credentials WHERE site_id = $1 AND id = $2`,
      [siteId, credentialId],
    );
    return rows[0] ? toCredential(rows[0]) : undefined;
  }

  async listCredentials(siteId: string, memberId: string): Promise<Credential[]> {
    const { rows } = await this.db.query<CredentialRow>(
      `SELECT ${CREDENTIAL_COLUMNS} FROM credentials WHERE site_id = $1 AND member_id = $2 ORDER BY issued_at, id`,
      [siteId, memberId],
    );
    return rows.map(toCredential);
  }

  /** Revokes once: an already revoked credential keeps its first time and reason. */
  async revokeCredential(
    siteId: string,
    credentialId: string,
    at: Date,
    reason: string,
  ): Promise<Credential | undefined> {
    const { rows } = await this.db.query<CredentialRow>(
      `UPDATE credentials SET revoked_at = coalesce(revoked_at, $3), revoke_reason = coalesce(revoke_reason, $4)
        WHERE site_id = $1 AND id = $2 RETURNING ${CREDENTIAL_COLUMNS}`,
      [siteId, credentialId, at.toISOString(), reason],
    );
    return rows[0] ? toCredential(rows[0]) : undefined;
  }

  // -- decisions --------------------------------------------------------------------------------------------------

  async holderFacts(
    siteId: string,
    value: string,
    at: Date,
    localDate: string,
    doorResourceIds: string[],
  ): Promise<HolderFacts> {
    const { rows } = await this.db.query<{ facts: HolderJson | string | null }>(
      'SELECT access_holder_facts($1, $2, $3::timestamptz, $4::date, $5::text[]) AS facts',
      [siteId, value, at.toISOString(), localDate, doorResourceIds],
    );
    const facts = rows[0]?.facts;
    if (!facts) return UNKNOWN;
    // the json type arrives parsed from pg and from the embedded database alike; a string is parsed here to be sure
    const row = typeof facts === 'string' ? (JSON.parse(facts) as HolderJson) : facts;
    return {
      credential: {
        id: row.id,
        kind: row.kind,
        memberId: row.memberId,
        revokedAt: row.revokedAt ? new Date(row.revokedAt) : null,
        revokeReason: row.revokeReason,
      },
      memberStatus: row.memberStatus,
      contract: row.contract
        ? {
            id: row.contract.id,
            planId: row.contract.planId,
            endDate: row.contract.endDate,
            zones: row.contract.zones ?? [],
            hours: parseSlots(row.contract.hours),
          }
        : null,
      bookings: (row.bookings ?? []).map((b) => ({
        id: b.id,
        resourceId: b.resourceId,
        start: new Date(b.start),
        end: new Date(b.end),
      })),
      passes: (row.passes ?? []).map((p) => ({
        code: p.code,
        balance: Number(p.balance),
        expiresAt: new Date(p.expiresAt),
        spentToday: p.spentToday,
        zones: p.zones ?? [],
        hours: parseSlots(p.hours),
      })),
    };
  }

  // -- grants export ----------------------------------------------------------------------------------------------

  /** Whether the site ever issued a credential (revoked ones count: their grants may still be retained). */
  async everIssuedCredentials(siteId: string): Promise<boolean> {
    const { rows } = await this.db.query<{ found: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM credentials WHERE site_id = $1) AS found',
      [siteId],
    );
    return rows[0].found;
  }

  async activeCredentials(siteId: string): Promise<CredentialHolder[]> {
    const { rows } = await this.db.query<{ id: string; value: string; member_id: string }>(
      `SELECT c.id, c.value, c.member_id FROM credentials c
         JOIN members m ON m.site_id = c.site_id AND m.id = c.member_id
        WHERE c.site_id = $1 AND c.revoked_at IS NULL AND m.status = 'active'
        ORDER BY c.member_id, c.id`,
      [siteId],
    );
    return rows.map((row) => ({ credentialId: row.id, value: row.value, memberId: row.member_id }));
  }

  async contractsBetween(siteId: string, fromDate: string, toDate: string): Promise<ContractAccess[]> {
    const { rows } = await this.db.query<{
      member_id: string;
      start_date: string;
      end_date: string | null;
      access_zones: string[];
      access_hours: unknown;
    }>(
      `SELECT c.member_id, c.start_date::text AS start_date, c.end_date::text AS end_date, p.access_zones, p.access_hours
         FROM contracts c JOIN plans p ON p.site_id = c.site_id AND p.id = c.plan_id
        WHERE c.site_id = $1 AND c.status <> 'cancelled' AND c.start_date <= $3::date
          AND (c.end_date IS NULL OR c.end_date > $2::date)`,
      [siteId, fromDate, toDate],
    );
    return rows.map((row) => ({
      memberId: row.member_id,
      startDate: row.start_date,
      endDate: row.end_date,
      zones: row.access_zones ?? [],
      hours: parseSlots(row.access_hours),
    }));
  }

  async bookingsBetween(siteId: string, from: Date, to: Date): Promise<BookingAccess[]> {
    const { rows } = await this.db.query<{
      member_id: string;
      resource_id: string;
      start_at: Date;
      end_at: Date;
    }>(
      `SELECT member_id, resource_id, start_at, end_at FROM bookings
        WHERE site_id = $1 AND member_id IS NOT NULL AND status IN ('confirmed', 'checked_in')
          AND start_at < $3::timestamptz AND end_at > $2::timestamptz`,
      [siteId, from.toISOString(), to.toISOString()],
    );
    return rows.map((row) => ({
      memberId: row.member_id,
      resourceId: row.resource_id,
      start: new Date(row.start_at),
      end: new Date(row.end_at),
    }));
  }

  async passesBetween(siteId: string, from: Date, fromDate: string, toDate: string): Promise<PassAccess[]> {
    const { rows } = await this.db.query<{
      member_id: string;
      code: string;
      balance: number;
      expires_at: Date;
      spent: string[];
      access_zones: string[] | null;
      access_hours: unknown;
    }>(
      `SELECT v.member_id, v.code, v.balance, v.expires_at, p.access_zones, p.access_hours,
              coalesce(array_agg(s.access_date::text ORDER BY s.access_date) FILTER (WHERE s.access_date IS NOT NULL),
                       '{}'::text[]) AS spent
         FROM vouchers v
         LEFT JOIN plans p ON p.site_id = v.site_id AND p.id = v.plan_id
         LEFT JOIN voucher_spends s ON s.site_id = v.site_id AND s.code = v.code
                                   AND s.access_date BETWEEN $3::date AND $4::date
        WHERE v.site_id = $1 AND v.kind = 'day_pass' AND v.member_id IS NOT NULL AND v.expires_at > $2::timestamptz
        GROUP BY v.member_id, v.code, v.balance, v.expires_at, p.access_zones, p.access_hours`,
      [siteId, from.toISOString(), fromDate, toDate],
    );
    return rows.map((row) => ({
      memberId: row.member_id,
      code: row.code,
      balance: Number(row.balance),
      expiresAt: new Date(row.expires_at),
      spentDates: row.spent ?? [],
      zones: row.access_zones ?? [],
      hours: parseSlots(row.access_hours),
    }));
  }
}
