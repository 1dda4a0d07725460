import { createHash } from 'node:crypto';
import { Queryable } from '@cw/database';
import { SiteDocumentInput } from '@cw/sites';

/**
 * Rows of the membership and billing schema (migration 0006), written with SQL for tests that need the platform to
 * hold members, contracts, invoices and payments without going through the libraries that own them.
 */

const square = (x: number, y: number, size = 2): [number, number][] => [
  [x, y],
  [x + size, y],
  [x + size, y + size],
  [x, y + size],
];

/** A site with `desks` desks of capacity one and a meeting room, plus an entrance door. */
export function deskSiteDocument(desks: number, timeZone = 'Europe/Madrid'): SiteDocumentInput {
  return {
    name: 'Money and churn test space',
    timeZone,
    currency: 'EUR',
    taxRateBp: 2100,
    openingHours: [{ day: 'mon', open: '08:00', close: '20:00' }],
    floors: [
      {
        id: 'f0',
        name: 'Ground',
        plan: { width: 100, height: 10 },
        resources: [
          ...Array.from({ length: desks }, (_, i) => ({
            id: `desk-${i + 1}`,
            name: `Desk ${i + 1}`,
            kind: 'desk' as const,
            polygon: square(i * 2, 0),
          })),
          {
            id: 'room-1',
            name: 'Room 1',
            kind: 'meeting_room' as const,
            capacity: 8,
            polygon: square(0, 5, 4),
          },
        ],
      },
    ],
    devices: [{ id: 'door-main', type: 'door', name: 'Entrance', resources: [] }],
  };
}

export async function insertPlan(
  db: Queryable,
  siteId: string,
  plan: { id: string; kind: string; priceMinor: number; period?: 'month' | 'once' },
): Promise<void> {
  await db.query(
    `INSERT INTO plans (site_id, id, name, kind, price_minor, period) VALUES ($1, $2, $3, $4, $5, $6)`,
    [siteId, plan.id, `Plan ${plan.id}`, plan.kind, plan.priceMinor, plan.period ?? 'month'],
  );
}

export async function insertMember(
  db: Queryable,
  siteId: string,
  member: { id: string; name?: string; companyId?: string | null },
): Promise<void> {
  await db.query(`INSERT INTO members (site_id, id, name, company_id) VALUES ($1, $2, $3, $4)`, [
    siteId,
    member.id,
    member.name ?? `Member ${member.id}`,
    member.companyId ?? null,
  ]);
}

export interface ContractFixture {
  id: string;
  memberId: string;
  planId: string;
  priceMinor: number;
  start: string;
  end?: string | null;
  status?: 'active' | 'ended' | 'cancelled';
  endReason?: 'cancelled' | 'plan_change' | 'expired' | 'offboarded' | null;
  noticeGivenAt?: string | null;
  companyId?: string | null;
}

export async function insertContract(db: Queryable, siteId: string, c: ContractFixture): Promise<void> {
  await db.query(
    `INSERT INTO contracts (site_id, id, member_id, company_id, plan_id, price_minor, start_date, end_date, status,
                            end_reason, notice_given_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8::date, $9, $10, $11::timestamptz)`,
    [
      siteId,
      c.id,
      c.memberId,
      c.companyId ?? null,
      c.planId,
      c.priceMinor,
      c.start,
      c.end ?? null,
      c.status ?? 'active',
      c.endReason ?? null,
      c.noticeGivenAt ?? null,
    ],
  );
}

export interface InvoiceFixture {
  id: string;
  memberId: string | null;
  companyId?: string | null;
  kind?: 'invoice' | 'credit_note';
  correctsId?: string;
  issueDate: string;
  dueDate: string;
  /** Net amount and tax per line; totals are their sums. */
  lines: Array<{ kind: string; amountMinor: number; taxMinor: number; correctsLineNo?: number }>;
}

let invoiceNumber = 0;

export async function insertInvoice(db: Queryable, siteId: string, inv: InvoiceFixture): Promise<void> {
  const subtotal = inv.lines.reduce((sum, l) => sum + l.amountMinor, 0);
  const tax = inv.lines.reduce((sum, l) => sum + l.taxMinor, 0);
  invoiceNumber += 1;
  await db.query(
    `INSERT INTO invoices (site_id, id, series, number, kind, member_id, company_id, buyer, currency, issue_date,
                           due_date, subtotal_minor, tax_minor, total_minor, corrects_id, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, '{}'::jsonb, 'EUR', $8::date, $9::date, $10, $11, $12, $13, $14)`,
    [
      siteId,
      inv.id,
      inv.kind === 'credit_note' ? 'CN' : 'F',
      invoiceNumber,
      inv.kind ?? 'invoice',
      inv.memberId,
      inv.companyId ?? null,
      inv.issueDate,
      inv.dueDate,
      subtotal,
      tax,
      subtotal + tax,
      inv.correctsId ?? null,
      createHash('sha256').update(`${siteId}/${inv.id}`).digest('hex'),
    ],
  );
  for (const [i, line] of inv.lines.entries()) {
    await db.query(
      `INSERT INTO invoice_lines (site_id, invoice_id, line_no, kind, description, unit_minor, amount_minor, tax_rate_bp,
                                  tax_minor, corrects_line_no)
       VALUES ($1, $2, $3, $4, $5, $6, $6, 2100, $7, $8)`,
      [
        siteId,
        inv.id,
        i + 1,
        line.kind,
        `${line.kind} line`,
        line.amountMinor,
        line.taxMinor,
        line.correctsLineNo ?? null,
      ],
    );
  }
}

/** A payment received at an instant, allocated in full to one invoice. */
export async function insertPayment(
  db: Queryable,
  siteId: string,
  p: { id: string; invoiceId: string; memberId: string | null; amountMinor: number; receivedAt: string },
): Promise<void> {
  await db.query(
    `INSERT INTO payments (site_id, id, member_id, amount_minor, currency, method, received_at)
     VALUES ($1, $2, $3, $4, 'EUR', 'bank_transfer', $5::timestamptz)`,
    [siteId, p.id, p.memberId, p.amountMinor, p.receivedAt],
  );
  await db.query(
    `INSERT INTO payment_allocations (site_id, payment_id, invoice_id, amount_minor) VALUES ($1, $2, $3, $4)`,
    [siteId, p.id, p.invoiceId, p.amountMinor],
  );
}
