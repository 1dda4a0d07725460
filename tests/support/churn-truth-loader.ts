import { prorate } from '@cw/billing';
import { Database } from '@cw/database';
import {
  BookingRecord,
  Dispatcher,
  EventSource,
  HttpOutbox,
  HttpPublisher,
  MemberRecord,
  MemoryTruth,
  PlanKind,
  rngFor,
  runBackfill,
  Scenario,
  ScenarioEvent,
  ScenarioStream,
  setPlatformClock,
} from '@cw/simulators';
import { addDays, zonedInstant } from '../../simulators/src/zoned-time';
import { ADMIN_TOKEN, TestPlatform } from './test-app';

/**
 * Puts a simulated run into the platform as the platform itself would hold it: the site through PUT /v1/sites, every
 * door event through POST /v1/events (so they land in door_events by the normal ingest path), and the rest from the
 * simulator's ground truth, written with SQL:
 * - there is no membership or billing REST API to drive yet, so plans, companies, members, credentials, contracts,
 *   invoices and payments are inserted here, and only what the platform could know by the end of the run: a
 *   churner's end date appears once the notice is given (notice days before the churn date), a payment only once
 *   it has been received;
 * - bookings are inserted as rows too: replayed as booking events, the external-booking path applies them one at a
 *   time with the no-show and occupancy engines on each (minutes for a few thousand), which is not what this
 *   measures. Sensor readings are left out: they say nothing about members.
 *
 * The platform needs CLOCK_CONTROL=on: its clock is set to the end of the run, so ingest accepts the history
 * whatever today's date is, and "today" at the site is the first day after it.
 */

/** Monthly prices per simulated plan, in minor units (EUR). */
const PLAN_PRICES: Record<Exclude<PlanKind, 'day_pass'>, { kind: string; priceMinor: number }> = {
  flex: { kind: 'flex_desk', priceMinor: 19000 },
  fixed_desk: { kind: 'fixed_desk', priceMinor: 29000 },
  private_office: { kind: 'private_office', priceMinor: 42000 },
};
export const NOTICE_DAYS = 30;
const PAYMENT_TERMS_DAYS = 14;
const TAX_BP = 2100;
/** An invoice the member forgot is paid after the second reminder, this long after its due date. */
const REMINDED_AFTER_DAYS = [21, 45] as const;

export interface LoadedRun {
  siteId: string;
  timeZone: string;
  start: string;
  /** The first day after the run: the platform's today. */
  end: string;
  members: MemberRecord[];
  events: { accepted: number; failed: number };
}

const monthStart = (date: string) => `${date.slice(0, 7)}-01`;
const nextMonth = (date: string) => {
  const [y, m] = date.split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
};

/** The stream's door events only, in the same order. */
class DoorEvents implements EventSource {
  constructor(private readonly stream: ScenarioStream) {}

  get daysDone(): number {
    return this.stream.daysDone;
  }

  get days(): number {
    return this.stream.days;
  }

  take(max: number): ScenarioEvent[] {
    const out: ScenarioEvent[] = [];
    while (out.length < max) {
      const batch = this.stream.take(max);
      if (batch.length === 0) break;
      out.push(...batch.filter((e) => e.type === 'door'));
    }
    return out;
  }

  peek(): ScenarioEvent | undefined {
    let next = this.stream.peek();
    while (next && next.type !== 'door') {
      this.stream.take(1);
      next = this.stream.peek();
    }
    return next;
  }
}

async function sendDoorEvents(platform: TestPlatform, stream: ScenarioStream, siteId: string) {
  const key = await platform.createKey('integration', siteId);
  const publisher = new HttpPublisher({ url: platform.url, key });
  const dispatcher = new Dispatcher(publisher, { maxInFlight: 2 });
  const report = await runBackfill({
    source: new DoorEvents(stream),
    outbox: new HttpOutbox(5000),
    dispatcher,
  });
  return { accepted: report.acked, failed: report.failed };
}

/** Bookings made before the end of the run, as the platform would hold them then. */
async function writeBookings(
  db: Database,
  siteId: string,
  bookings: BookingRecord[],
  endMs: number,
): Promise<void> {
  const known = bookings.filter((b) => Date.parse(b.createdAt) < endMs);
  const status = (b: BookingRecord) =>
    b.cancelledAt !== null && Date.parse(b.cancelledAt) < endMs
      ? 'cancelled'
      : Date.parse(b.end) > endMs
        ? 'confirmed'
        : b.outcome === 'no_show'
          ? 'released'
          : 'ended';
  await db.query(
    `INSERT INTO bookings (site_id, id, resource_id, member_id, start_at, end_at, status, source, created_at)
     SELECT $1, b.id, b.resource, b.member, b.start_at::timestamptz, b.end_at::timestamptz, b.status, 'external',
            b.created::timestamptz
     FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
          AS b(id, resource, member, start_at, end_at, status, created)`,
    [
      siteId,
      known.map((b) => b.booking),
      known.map((b) => b.resource),
      known.map((b) => b.member),
      known.map((b) => b.start),
      known.map((b) => b.end),
      known.map(status),
      known.map((b) => b.createdAt),
    ],
  );
}

interface Invoice {
  id: string;
  member: string;
  company: string | null;
  issue: string;
  due: string;
  kind: 'membership' | 'proration';
  amount: number;
  tax: number;
}

function invoicesOf(m: MemberRecord, contractStart: string, runEnd: string): Invoice[] {
  const plan = PLAN_PRICES[m.plan as Exclude<PlanKind, 'day_pass'>];
  const active = { start: contractStart, end: m.churnDate };
  const out: Invoice[] = [];
  for (let month = monthStart(contractStart); month < runEnd; month = nextMonth(month)) {
    if (m.churnDate !== null && m.churnDate <= month) break;
    const period = { start: month, end: nextMonth(month) };
    const amount = prorate(plan.priceMinor, period, active);
    if (amount === 0) continue;
    const issue = month < contractStart ? contractStart : month;
    out.push({
      id: `inv-${m.member}-${month.slice(0, 7)}`,
      member: m.member,
      company: m.company,
      issue,
      due: addDays(issue, PAYMENT_TERMS_DAYS),
      kind: amount === plan.priceMinor ? 'membership' : 'proration',
      amount,
      tax: Math.round((amount * TAX_BP) / 10_000),
    });
  }
  return out;
}

/** When the member pays an invoice, from their lateness profile (deterministic per run seed and invoice). */
function paidOn(m: MemberRecord, invoice: Invoice, seed: number): string {
  const rng = rngFor(seed, `payment:${invoice.id}`);
  const { meanDaysLate, sdDaysLate, missRate } = m.lateness;
  if (rng.chance(missRate))
    return addDays(invoice.due, REMINDED_AFTER_DAYS[rng.chance(0.5) ? 0 : 1] + rng.int(0, 6));
  return addDays(invoice.due, Math.max(0, Math.round(rng.normal(meanDaysLate, sdDaysLate))));
}

interface ContractRow {
  id: string;
  member: string;
  company: string | null;
  plan: string;
  price: number;
  end: string | null;
  status: 'active' | 'ended';
  reason: 'cancelled' | null;
  notice: string | null;
}

/** Plans, companies, members, credentials, contracts, invoices and payments: each one unnest insert. */
async function writeCommercialRecords(db: Database, run: LoadedRun, seed: number): Promise<void> {
  const { siteId, timeZone, start, end } = run;
  const endMs = zonedInstant(end, 0, timeZone);
  const members = run.members;
  const plans = Object.entries(PLAN_PRICES);
  await db.query(
    `INSERT INTO plans (site_id, id, name, kind, price_minor, period)
     SELECT $1, p.id, p.id, p.kind, p.price, 'month' FROM unnest($2::text[], $3::text[], $4::int[]) AS p(id, kind, price)`,
    [siteId, plans.map(([id]) => id), plans.map(([, p]) => p.kind), plans.map(([, p]) => p.priceMinor)],
  );
  await db.query(
    `INSERT INTO plans (site_id, id, name, kind, price_minor, period, pass_days, pass_valid_days)
     VALUES ($1, 'day_pass', 'Day pass', 'day_pass', 2500, 'once', 1, 30)`,
    [siteId],
  );
  const companies = [...new Set(members.flatMap((m) => (m.company ? [m.company] : [])))];
  await db.query(`INSERT INTO companies (site_id, id, name) SELECT $1, c, c FROM unnest($2::text[]) AS c`, [
    siteId,
    companies,
  ]);
  await db.query(
    `INSERT INTO members (site_id, id, name, company_id)
     SELECT $1, m.id, 'Member ' || m.id, m.company FROM unnest($2::text[], $3::text[]) AS m(id, company)`,
    [siteId, members.map((m) => m.member), members.map((m) => m.company)],
  );
  await db.query(
    `INSERT INTO credentials (site_id, id, member_id, kind, value)
     SELECT $1, 'cred-' || m.id, m.id, m.kind, m.value FROM unnest($2::text[], $3::text[], $4::text[]) AS m(id, kind, value)`,
    [
      siteId,
      members.map((m) => m.member),
      members.map((m) => (m.plan === 'day_pass' ? 'mobile' : 'card')),
      members.map((m) => m.credential),
    ],
  );

  const contracts: ContractRow[] = [];
  const invoices: Invoice[] = [];
  for (const m of members) {
    if (m.plan === 'day_pass') continue;
    const plan = PLAN_PRICES[m.plan];
    // the platform learns of a churn when notice is given; a churn further out is not known at the end of the run
    const notice = m.churnDate === null ? null : addDays(m.churnDate, -NOTICE_DAYS);
    const known = notice !== null && notice < end;
    contracts.push({
      id: `ct-${m.member}`,
      member: m.member,
      company: m.company,
      plan: m.plan,
      price: plan.priceMinor,
      end: known ? m.churnDate : null,
      status: known && (m.churnDate as string) < end ? 'ended' : 'active',
      reason: known ? 'cancelled' : null,
      notice: known ? new Date(zonedInstant(notice, 10 * 60, timeZone)).toISOString() : null,
    });
    invoices.push(...invoicesOf(m, start, end));
  }
  await db.query(
    `INSERT INTO contracts (site_id, id, member_id, company_id, plan_id, price_minor, start_date, end_date, notice_days,
                            status, end_reason, notice_given_at)
     SELECT $1, c.id, c.member, c.company, c.plan, c.price, $2::date, c.end_date::date, $3, c.status, c.reason,
            c.notice::timestamptz
     FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::text[], $10::text[], $11::text[],
                 $12::text[]) AS c(id, member, company, plan, price, end_date, status, reason, notice)`,
    [
      siteId,
      start,
      NOTICE_DAYS,
      contracts.map((c) => c.id),
      contracts.map((c) => c.member),
      contracts.map((c) => c.company),
      contracts.map((c) => c.plan),
      contracts.map((c) => c.price),
      contracts.map((c) => c.end),
      contracts.map((c) => c.status),
      contracts.map((c) => c.reason),
      contracts.map((c) => c.notice),
    ],
  );
  await db.query(
    `INSERT INTO invoices (site_id, id, series, number, kind, member_id, company_id, buyer, currency, issue_date,
                           due_date, subtotal_minor, tax_minor, total_minor, hash)
     SELECT $1, i.id, 'SIM', i.n, 'invoice', i.member, i.company, '{}'::jsonb, 'EUR', i.issue::date, i.due::date,
            i.amount, i.tax, i.amount + i.tax, md5(i.id)
     FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::int[])
          AS i(id, n, member, company, issue, due, amount, tax)`,
    [
      siteId,
      invoices.map((i) => i.id),
      invoices.map((_, n) => n + 1),
      invoices.map((i) => i.member),
      invoices.map((i) => i.company),
      invoices.map((i) => i.issue),
      invoices.map((i) => i.due),
      invoices.map((i) => i.amount),
      invoices.map((i) => i.tax),
    ],
  );
  await db.query(
    `INSERT INTO invoice_lines (site_id, invoice_id, line_no, kind, description, unit_minor, amount_minor, tax_rate_bp,
                                tax_minor)
     SELECT $1, i.id, 1, i.kind, 'Membership', i.amount, i.amount, $2, i.tax
     FROM unnest($3::text[], $4::text[], $5::int[], $6::int[]) AS i(id, kind, amount, tax)`,
    [
      siteId,
      TAX_BP,
      invoices.map((i) => i.id),
      invoices.map((i) => i.kind),
      invoices.map((i) => i.amount),
      invoices.map((i) => i.tax),
    ],
  );
  const byMember = new Map(members.map((m) => [m.member, m]));
  const payments = invoices.flatMap((invoice) => {
    const day = paidOn(byMember.get(invoice.member) as MemberRecord, invoice, seed);
    const at = zonedInstant(day, 12 * 60, timeZone);
    return at < endMs ? [{ invoice, at: new Date(at).toISOString() }] : [];
  });
  await db.query(
    `INSERT INTO payments (site_id, id, member_id, company_id, amount_minor, currency, method, received_at)
     SELECT $1, 'pay-' || p.invoice, p.member, p.company, p.amount, 'EUR', 'bank_transfer', p.at::timestamptz
     FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::text[]) AS p(invoice, member, company, amount, at)`,
    [
      siteId,
      payments.map((p) => p.invoice.id),
      payments.map((p) => p.invoice.member),
      payments.map((p) => p.invoice.company),
      payments.map((p) => p.invoice.amount + p.invoice.tax),
      payments.map((p) => p.at),
    ],
  );
  await db.query(
    `INSERT INTO payment_allocations (site_id, payment_id, invoice_id, amount_minor)
     SELECT $1, 'pay-' || p.invoice, p.invoice, p.amount FROM unnest($2::text[], $3::int[]) AS p(invoice, amount)`,
    [siteId, payments.map((p) => p.invoice.id), payments.map((p) => p.invoice.amount + p.invoice.tax)],
  );
}

/**
 * Runs `days` days of the scenario's first site from `start` into the platform and returns what the truth says of
 * its members. The platform's clock is left at local midnight starting the day after the run.
 */
export async function loadScenarioRun(
  platform: TestPlatform,
  scenario: Scenario,
  options: { start: string; days: number },
): Promise<LoadedRun> {
  const site = scenario.sites[0];
  const timeZone = site.document.timeZone;
  const end = addDays(options.start, options.days);
  await setPlatformClock(platform.url, ADMIN_TOKEN, new Date(zonedInstant(end, 0, timeZone)), 1);
  const put = await fetch(`${platform.url}/v1/sites/${site.id}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(site.document),
  });
  if (!put.ok) throw new Error(`PUT /v1/sites/${site.id}: HTTP ${put.status} ${await put.text()}`);
  const truth = new MemoryTruth();
  const stream = new ScenarioStream(
    { ...scenario, sites: [site] },
    { start: options.start, days: options.days, truth },
  );
  const members = truth.records.filter((r): r is MemberRecord => r.type === 'member');
  const run: LoadedRun = {
    siteId: site.id,
    timeZone,
    start: options.start,
    end,
    members,
    events: { accepted: 0, failed: 0 },
  };
  run.events = await sendDoorEvents(platform, stream, site.id);
  const bookings = truth.records.filter((r): r is BookingRecord => r.type === 'booking');
  await writeBookings(platform.db, site.id, bookings, zonedInstant(end, 0, timeZone));
  await writeCommercialRecords(platform.db, run, stream.seed);
  return run;
}
