// `npm run bench:billing`: a billing run of 5,000 monthly contracts with usage on the embedded default, written to
// bench/results/billing.json.
//   billing_run_5000_s  - POST /v1/sites/{site}/billing-runs for the month, through HTTP, until it answers
//   access_rps, access_p99_ms - from runAccessBench() in bench/access-decisions.ts when that file exists; else null
// Beside them: the idempotent re-run (nothing left to bill), the chain verification of every issued invoice, and what
// the run issued. Members, contracts, bookings and charges are generated in SQL inside the database, as the
// membership, booking and credits APIs would have left them.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { InvoiceChainService } from '@cw/billing';
import { BorrowedDatabase } from '../tests/support/borrowed-database';
import { siteDocument } from '../tests/support/factories';
import { openSeededDatabase } from '../tests/support/seeded-database';
import { ADMIN_TOKEN, startPlatform } from '../tests/support/test-app';

const env = (name: string, fallback: number): number =>
  process.env[name] ? Number(process.env[name]) : fallback;
const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;
const log = (message: string): void => console.log(`[bench:billing] ${message}`);

const SITE = 'bench-billing';
const PERIOD = '2026-06';
const config = {
  contracts: env('BENCH_BILLING_CONTRACTS', 5000),
  /** Bookings with something left to pay, per contract, in the month. */
  bookings_per_contract: env('BENCH_BILLING_BOOKINGS', 2),
  /** One contract in this many is paid by a company (100 companies). */
  company_every: 10,
  /** One contract in this many starts mid-month (prorated); as many end mid-month. */
  partial_every: 7,
  /** One booking charge in this many was refunded before the run (not billed). */
  refunded_every: 11,
  /** One member in this many bought a day pass (a one-off charge). */
  pass_every: 5,
  period: PERIOD,
  storage: 'memory (embedded TimescaleDB, worker thread)',
  generated_by: 'SQL generate_series inside the database',
};

interface AccessBench {
  access_rps: number;
  access_p99_ms: number;
  [key: string]: unknown;
}

async function seed(db: BorrowedDatabase): Promise<void> {
  const n = config.contracts;
  await db.query(
    `INSERT INTO plans (site_id, id, name, kind, price_minor, period) VALUES
       ($1, 'flex', 'Flex desk', 'flex_desk', 15000, 'month'), ($1, 'office', 'Private office', 'private_office', 60000, 'month')`,
    [SITE],
  );
  await db.query(
    `INSERT INTO companies (site_id, id, name, tax_id) SELECT $1, 'co-' || g, 'Company ' || g, 'B' || g
     FROM generate_series(1, 100) g`,
    [SITE],
  );
  await db.query(
    `INSERT INTO members (site_id, id, name, email, company_id)
     SELECT $1, 'm-' || g, 'Member ' || g, 'm' || g || '@bench.test',
            CASE WHEN g % $3 = 0 THEN 'co-' || (g % 100 + 1) END
     FROM generate_series(1, $2::int) g`,
    [SITE, n, config.company_every],
  );
  await db.query(
    `INSERT INTO contracts (site_id, id, member_id, company_id, plan_id, price_minor, start_date, end_date)
     SELECT $1, 'c-' || g, 'm-' || g, CASE WHEN g % $3 = 0 THEN 'co-' || (g % 100 + 1) END,
            CASE WHEN g % 4 = 0 THEN 'office' ELSE 'flex' END, CASE WHEN g % 4 = 0 THEN 60000 ELSE 15000 END,
            CASE WHEN g % $4 = 1 THEN date '2026-06-01' + (g % 28) ELSE date '2026-01-01' END,
            CASE WHEN g % $4 = 2 THEN date '2026-06-02' + (g % 27) END
     FROM generate_series(1, $2::int) g`,
    [SITE, n, config.company_every, config.partial_every],
  );
  // Ended bookings are outside the no-overlap constraint, so any number may share a room.
  await db.query(
    `INSERT INTO bookings (site_id, id, resource_id, member_id, start_at, end_at, status, source)
     SELECT $1, 'b-' || g || '-' || k, CASE WHEN k % 2 = 0 THEN 'room-1' ELSE 'room-2' END, 'm-' || g,
            timestamptz '2026-06-01 08:00:00+02' + ((g + k * 13) % 29) * interval '1 day',
            timestamptz '2026-06-01 09:00:00+02' + ((g + k * 13) % 29) * interval '1 day', 'ended', 'api'
     FROM generate_series(1, $2::int) g, generate_series(1, $3::int) k`,
    [SITE, n, config.bookings_per_contract],
  );
  await db.query(
    `INSERT INTO booking_charges (site_id, booking_id, member_id, currency, price_minor, credits_minor, charge_minor,
       refunded_at)
     SELECT $1, b.id, b.member_id, 'EUR', 3000, 1000, 2000 + (hashtext(b.id) & 1023),
            CASE WHEN row_number() OVER (ORDER BY b.id) % $2 = 0 THEN b.end_at END
     FROM bookings b WHERE b.site_id = $1`,
    [SITE, config.refunded_every],
  );
  await db.query(
    `INSERT INTO one_off_charges (site_id, id, member_id, description, amount_minor, charge_date)
     SELECT $1, 'x-' || g, 'm-' || g, 'Day pass: Day pass', 2500, date '2026-06-01' + (g % 30)
     FROM generate_series(1, $2::int) g WHERE g % $3 = 0`,
    [SITE, n, config.pass_every],
  );
}

async function accessBench(): Promise<AccessBench | null> {
  const file = join(__dirname, 'access-decisions.ts');
  if (!existsSync(file)) return null;
  const module = (await import(file)) as { runAccessBench?: () => Promise<AccessBench> };
  return module.runAccessBench ? module.runAccessBench() : null;
}

async function main(): Promise<void> {
  const started = performance.now();
  const db = await openSeededDatabase();
  const platform = await startPlatform(new BorrowedDatabase(db), { INGEST_FLUSH_MS: '25' });
  const details: Record<string, number> = {};
  const metrics: Record<string, number | null> = {};
  try {
    await platform.putSite(SITE, siteDocument({ name: 'Billing bench' }));
    let t = performance.now();
    await seed(new BorrowedDatabase(db));
    details.seed_s = round((performance.now() - t) / 1000);
    const counts = await db.query<{ bookings: number; billable: number; passes: number }>(
      `SELECT (SELECT count(*) FROM booking_charges WHERE site_id = $1)::int AS bookings,
              (SELECT count(*) FROM booking_charges WHERE site_id = $1 AND refunded_at IS NULL)::int AS billable,
              (SELECT count(*) FROM one_off_charges WHERE site_id = $1)::int AS passes`,
      [SITE],
    );
    log(`seeded ${config.contracts} contracts, ${counts.rows[0].bookings} bookings in ${details.seed_s} s`);

    const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    t = performance.now();
    const run = await request(platform.url)
      .post(`/v1/sites/${SITE}/billing-runs`)
      .set(auth)
      .send({ period: PERIOD });
    metrics.billing_run_5000_s = round((performance.now() - t) / 1000);
    if (run.status !== 201)
      throw new Error(`billing run answered ${run.status}: ${JSON.stringify(run.body)}`);
    const issued = (run.body as { invoices: string[] }).invoices.length;
    log(`billing run: ${issued} invoices in ${metrics.billing_run_5000_s} s`);

    t = performance.now();
    const again = await request(platform.url)
      .post(`/v1/sites/${SITE}/billing-runs`)
      .set(auth)
      .send({ period: PERIOD });
    details.rerun_s = round((performance.now() - t) / 1000);
    details.rerun_invoices = (again.body as { invoices: string[] }).invoices.length;

    t = performance.now();
    const chain = await platform.app.get(InvoiceChainService).verify(SITE);
    details.verify_s = round((performance.now() - t) / 1000);
    if (!chain.ok) throw new Error(`chain broken: ${JSON.stringify(chain.firstBroken)}`);

    const lines = await db.query<{ lines: number; usage: number; total: number }>(
      `SELECT count(*)::int AS lines, count(*) FILTER (WHERE kind = 'usage')::int AS usage,
              (SELECT sum(total_minor) FROM invoices WHERE site_id = $1)::bigint AS total
       FROM invoice_lines WHERE site_id = $1`,
      [SITE],
    );
    details.invoices = issued;
    details.invoice_lines = lines.rows[0].lines;
    details.usage_lines = lines.rows[0].usage;
    details.billable_bookings = counts.rows[0].billable;
    details.pass_charges = counts.rows[0].passes;
    details.invoices_per_s = round(issued / (metrics.billing_run_5000_s || 1), 1);
    details.chain_checked = chain.checked;
    if (details.usage_lines !== details.billable_bookings)
      throw new Error('usage lines do not match billable bookings');
  } finally {
    await platform.close();
    await db.close();
  }

  // The access half belongs to its own bench: its failure leaves its metrics null, not the billing figures unwritten.
  let access: AccessBench | null = null;
  let accessError: string | null = null;
  try {
    access = await accessBench();
    if (!access) log('bench/access-decisions.ts not found: access_rps and access_p99_ms left null');
  } catch (error) {
    accessError = (error as Error).message;
    log(`access bench failed (${accessError}): access_rps and access_p99_ms left null`);
  }
  metrics.access_rps = access ? access.access_rps : null;
  metrics.access_p99_ms = access ? access.access_p99_ms : null;

  const result = {
    name: 'billing',
    at: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      memory_gb: round(totalmem() / 2 ** 30, 1),
      node: process.version,
      cpu_model: cpus()[0]?.model.split(' ').slice(0, 2).join(' '),
    },
    config: { ...config, host_load_avg_at_start: loadavg().map((l) => round(l)) },
    targets: { access_p99_ms: 20, access_rps: 200 },
    metrics,
    details: {
      ...details,
      ...(access ? { access } : {}),
      total_s: round((performance.now() - started) / 1000),
    },
  };
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'billing.json'), `${JSON.stringify(result, null, 2)}\n`);
  log(JSON.stringify(result.metrics));
}

main().catch((error: Error) => {
  console.error(`[bench:billing] failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
