import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '@cw/database';
import { Company, Member, MemberStatus, Upserted } from './membership.types';

interface CompanyRow {
  site_id: string;
  id: string;
  name: string;
  billing_email: string | null;
  billing_member_id: string | null;
  tax_id: string | null;
  address: string | null;
  created_at: Date;
}

interface MemberRow {
  site_id: string;
  id: string;
  company_id: string | null;
  team: string | null;
  name: string;
  email: string | null;
  phone: string | null;
  address: string | null;
  tax_id: string | null;
  status: MemberStatus;
  created_at: Date;
  offboarded_at: Date | null;
  erased_at: Date | null;
}

const COMPANY_COLUMNS = 'site_id, id, name, billing_email, billing_member_id, tax_id, address, created_at';
const MEMBER_COLUMNS =
  'site_id, id, company_id, team, name, email, phone, address, tax_id, status, created_at, offboarded_at, erased_at';
// `xmax = 0` holds only for a row this statement inserted, which tells a create from an update in one round trip.
const CREATED = '(xmax = 0) AS created';

const toCompany = (r: CompanyRow): Company => ({
  siteId: r.site_id,
  id: r.id,
  name: r.name,
  billingEmail: r.billing_email,
  billingMemberId: r.billing_member_id,
  taxId: r.tax_id,
  address: r.address,
  createdAt: new Date(r.created_at),
});

const toMember = (r: MemberRow): Member => ({
  siteId: r.site_id,
  id: r.id,
  companyId: r.company_id,
  team: r.team,
  name: r.name,
  email: r.email,
  phone: r.phone,
  address: r.address,
  taxId: r.tax_id,
  status: r.status,
  createdAt: new Date(r.created_at),
  offboardedAt: r.offboarded_at ? new Date(r.offboarded_at) : null,
  erasedAt: r.erased_at ? new Date(r.erased_at) : null,
});

export type CompanyFields = Omit<Company, 'siteId' | 'id' | 'createdAt'>;
export type MemberFields = Pick<
  Member,
  'companyId' | 'team' | 'name' | 'email' | 'phone' | 'address' | 'taxId'
>;

/** Companies and members: the directory of who holds contracts. */
@Injectable()
export class MembersRepository {
  constructor(readonly db: Database) {}

  /** The site's IANA zone, or undefined for an unknown site. */
  async siteZone(siteId: string, q: Queryable = this.db): Promise<string | undefined> {
    const { rows } = await q.query<{ time_zone: string }>('SELECT time_zone FROM sites WHERE id = $1', [
      siteId,
    ]);
    return rows[0]?.time_zone;
  }

  async listSiteZones(): Promise<{ siteId: string; timeZone: string }[]> {
    const { rows } = await this.db.query<{ id: string; time_zone: string }>(
      'SELECT id, time_zone FROM sites ORDER BY id',
    );
    return rows.map((r) => ({ siteId: r.id, timeZone: r.time_zone }));
  }

  async upsertCompany(
    q: Queryable,
    siteId: string,
    id: string,
    c: CompanyFields,
  ): Promise<Upserted<Company>> {
    const { rows } = await q.query<CompanyRow & { created: boolean }>(
      `INSERT INTO companies (site_id, id, name, billing_email, billing_member_id, tax_id, address)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (site_id, id) DO UPDATE SET name = EXCLUDED.name, billing_email = EXCLUDED.billing_email,
         billing_member_id = EXCLUDED.billing_member_id, tax_id = EXCLUDED.tax_id, address = EXCLUDED.address
       RETURNING ${COMPANY_COLUMNS}, ${CREATED}`,
      [siteId, id, c.name, c.billingEmail, c.billingMemberId, c.taxId, c.address],
    );
    return { created: rows[0].created, value: toCompany(rows[0]) };
  }

  async findCompany(siteId: string, id: string, q: Queryable = this.db): Promise<Company | undefined> {
    const { rows } = await q.query<CompanyRow>(
      `SELECT ${COMPANY_COLUMNS} FROM companies WHERE site_id = $1 AND id = $2`,
      [siteId, id],
    );
    return rows[0] && toCompany(rows[0]);
  }

  async listCompanies(siteId: string): Promise<Company[]> {
    const { rows } = await this.db.query<CompanyRow>(
      `SELECT ${COMPANY_COLUMNS} FROM companies WHERE site_id = $1 ORDER BY id`,
      [siteId],
    );
    return rows.map(toCompany);
  }

  async upsertMember(q: Queryable, siteId: string, id: string, m: MemberFields): Promise<Upserted<Member>> {
    const { rows } = await q.query<MemberRow & { created: boolean }>(
      `INSERT INTO members (site_id, id, company_id, team, name, email, phone, address, tax_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (site_id, id) DO UPDATE SET company_id = EXCLUDED.company_id, team = EXCLUDED.team,
         name = EXCLUDED.name, email = EXCLUDED.email, phone = EXCLUDED.phone, address = EXCLUDED.address,
         tax_id = EXCLUDED.tax_id
       RETURNING ${MEMBER_COLUMNS}, ${CREATED}`,
      [siteId, id, m.companyId, m.team, m.name, m.email, m.phone, m.address, m.taxId],
    );
    return { created: rows[0].created, value: toMember(rows[0]) };
  }

  async findMember(siteId: string, id: string, q: Queryable = this.db): Promise<Member | undefined> {
    const { rows } = await q.query<MemberRow>(
      `SELECT ${MEMBER_COLUMNS} FROM members WHERE site_id = $1 AND id = $2`,
      [siteId, id],
    );
    return rows[0] && toMember(rows[0]);
  }

  /** Serialises every change of one member's status and contracts (sign-up, offboarding, erasure). */
  async lockMember(q: Queryable, siteId: string, id: string): Promise<Member | undefined> {
    const { rows } = await q.query<MemberRow>(
      `SELECT ${MEMBER_COLUMNS} FROM members WHERE site_id = $1 AND id = $2 FOR UPDATE`,
      [siteId, id],
    );
    return rows[0] && toMember(rows[0]);
  }

  async listMembers(
    siteId: string,
    filter: { companyId?: string; status?: MemberStatus },
  ): Promise<Member[]> {
    const { rows } = await this.db.query<MemberRow>(
      `SELECT ${MEMBER_COLUMNS} FROM members
       WHERE site_id = $1 AND ($2::text IS NULL OR company_id = $2) AND ($3::text IS NULL OR status = $3)
       ORDER BY id`,
      [siteId, filter.companyId ?? null, filter.status ?? null],
    );
    return rows.map(toMember);
  }

  /** A returning member signs again: back to active (credentials stay revoked until new ones are issued). */
  async reactivate(q: Queryable, siteId: string, id: string): Promise<void> {
    await q.query(
      `UPDATE members SET status = 'active', offboarded_at = NULL WHERE site_id = $1 AND id = $2 AND status = 'offboarded'`,
      [siteId, id],
    );
  }

  async markOffboarded(q: Queryable, siteId: string, id: string, at: Date): Promise<Member> {
    const { rows } = await q.query<MemberRow>(
      `UPDATE members SET status = 'offboarded', offboarded_at = COALESCE(offboarded_at, $3)
       WHERE site_id = $1 AND id = $2 RETURNING ${MEMBER_COLUMNS}`,
      [siteId, id, at.toISOString()],
    );
    return toMember(rows[0]);
  }

  /** GDPR erasure: the personal fields go, the id stays (contracts and invoices refer to it). */
  async pseudonymise(q: Queryable, siteId: string, id: string, pseudonym: string, at: Date): Promise<Member> {
    const { rows } = await q.query<MemberRow>(
      `UPDATE members SET name = $3, email = NULL, phone = NULL, address = NULL, tax_id = NULL, team = NULL,
         status = 'erased', erased_at = $4, offboarded_at = COALESCE(offboarded_at, $4)
       WHERE site_id = $1 AND id = $2 RETURNING ${MEMBER_COLUMNS}`,
      [siteId, id, pseudonym, at.toISOString()],
    );
    return toMember(rows[0]);
  }

  async companyMembers(siteId: string, companyId: string): Promise<{ id: string; team: string | null }[]> {
    const { rows } = await this.db.query<{ id: string; team: string | null }>(
      'SELECT id, team FROM members WHERE site_id = $1 AND company_id = $2 ORDER BY id',
      [siteId, companyId],
    );
    return rows;
  }
}
