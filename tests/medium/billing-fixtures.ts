import { Database } from '@cw/database';

/** Billing's inputs written straight into the 0006 tables, so these tests do not depend on the membership API. */
export class BillingFixtures {
  private seq = 0;

  constructor(
    private readonly db: Database,
    readonly siteId: string,
  ) {}

  next(prefix: string): string {
    this.seq += 1;
    return `${prefix}${this.seq}`;
  }

  async plan(id: string, priceMinor: number, name = id, period: 'month' | 'once' = 'month'): Promise<string> {
    await this.db.query(
      `INSERT INTO plans (site_id, id, name, kind, price_minor, period) VALUES ($1, $2, $3, $4, $5, $6)`,
      [this.siteId, id, name, period === 'month' ? 'flex_desk' : 'day_pass', priceMinor, period],
    );
    return id;
  }

  async company(id: string, name: string, billingMemberId: string | null = null): Promise<string> {
    await this.db.query(
      `INSERT INTO companies (site_id, id, name, tax_id, billing_member_id) VALUES ($1, $2, $3, $4, $5)`,
      [this.siteId, id, name, `B-${id}`, billingMemberId],
    );
    return id;
  }

  async member(id: string, name = id, companyId: string | null = null): Promise<string> {
    await this.db.query(
      `INSERT INTO members (site_id, id, name, company_id, email) VALUES ($1, $2, $3, $4, $5)`,
      [this.siteId, id, name, companyId, `${id}@example.test`],
    );
    return id;
  }

  async contract(c: {
    member: string;
    plan: string;
    price: number;
    start: string;
    end?: string | null;
    company?: string | null;
    id?: string;
  }): Promise<string> {
    const id = c.id ?? this.next('c');
    await this.db.query(
      `INSERT INTO contracts (site_id, id, member_id, company_id, plan_id, price_minor, start_date, end_date)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [this.siteId, id, c.member, c.company ?? null, c.plan, c.price, c.start, c.end ?? null],
    );
    return id;
  }

  /** A booking and what is left to pay for it. */
  async usage(
    member: string,
    start: string,
    chargeMinor: number,
    refunded = false,
    resource = 'room-1',
  ): Promise<string> {
    const id = this.next('bk');
    const startAt = new Date(start);
    await this.db.query(
      `INSERT INTO bookings (site_id, id, resource_id, member_id, start_at, end_at, status, source)
       VALUES ($1, $2, $3, $4, $5, $6, 'ended', 'api')`,
      [
        this.siteId,
        id,
        resource,
        member,
        startAt.toISOString(),
        new Date(startAt.getTime() + 3_600_000).toISOString(),
      ],
    );
    await this.db.query(
      `INSERT INTO booking_charges (site_id, booking_id, member_id, currency, price_minor, charge_minor, refunded_at)
       VALUES ($1, $2, $3, 'EUR', $4, $4, $5)`,
      [this.siteId, id, member, chargeMinor, refunded ? new Date().toISOString() : null],
    );
    return id;
  }

  /** A guest's booking (no member) and what is left to pay for it. */
  async guestUsage(
    guest: { name: string; email?: string },
    start: string,
    chargeMinor: number,
    refunded = false,
  ): Promise<string> {
    const id = this.next('gb');
    const startAt = new Date(start);
    await this.db.query(
      `INSERT INTO bookings (site_id, id, resource_id, member_id, start_at, end_at, status, source)
       VALUES ($1, $2, 'room-1', NULL, $3, $4, 'ended', 'api')`,
      [this.siteId, id, startAt.toISOString(), new Date(startAt.getTime() + 3_600_000).toISOString()],
    );
    await this.db.query(
      `INSERT INTO booking_charges (site_id, booking_id, guest_name, guest_email, currency, price_minor, charge_minor,
                                    refunded_at)
       VALUES ($1, $2, $3, $4, 'EUR', $5, $5, $6)`,
      [
        this.siteId,
        id,
        guest.name,
        guest.email ?? null,
        chargeMinor,
        refunded ? new Date().toISOString() : null,
      ],
    );
    return id;
  }

  async oneOff(
    member: string,
    description: string,
    amountMinor: number,
    chargeDate: string,
  ): Promise<string> {
    const id = this.next('x');
    await this.db.query(
      `INSERT INTO one_off_charges (site_id, id, member_id, description, amount_minor, charge_date)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [this.siteId, id, member, description, amountMinor, chargeDate],
    );
    return id;
  }

  async invoices(): Promise<
    {
      id: string;
      series: string;
      number: number;
      total_minor: number;
      member_id: string | null;
      company_id: string | null;
    }[]
  > {
    const { rows } = await this.db.query<{
      id: string;
      series: string;
      number: number;
      total_minor: number;
      member_id: string | null;
      company_id: string | null;
    }>(
      `SELECT id, series, number, total_minor, member_id, company_id FROM invoices WHERE site_id = $1
       ORDER BY series, number`,
      [this.siteId],
    );
    return rows;
  }
}
