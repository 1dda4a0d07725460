// `npm run bench:kpi`: KPI API latency over continuous aggregates on the embedded default, written to
// bench/results/kpi.json.
//   kpi_month_p95_ms          - GET /v1/sites/{site}/kpis?period=month, p95 over BENCH_KPI_RUNS requests
//   kpi_year_p95_ms           - the same for period=year
//   raw_over_aggregate_ratio  - the month's per-resource totals computed from the raw hypertables (the
//                               materialiser's SQL, no aggregate) over the same totals read from the aggregates
//   report_s                  - the board report of the last month (KPIs, money, churn, charts, PDF), generated
//                               and stored once by ReportsService, as the monthly job does
// History is generated in SQL inside the database (generate_series), not sent through ingest: at the ~18k events/s
// the full ingest path sustains here (bench:ingest), the 150M readings would take over two hours. The
// reading interval, months and resources are knobs; config records what was run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { SiteDocumentInput } from '@cw/sites';
import {
  clip,
  KpiMaintenance,
  KpiRepository,
  Materialiser,
  openIntervals,
  periodOf,
  zonedInstant,
  addDays,
  datesOf,
} from '@cw/kpi';
import { BorrowedDatabase } from '../tests/support/borrowed-database';
import { openSeededDatabase } from '../tests/support/seeded-database';
import { ReportsService } from '@cw/reports';
import { ADMIN_TOKEN, startPlatform } from '../tests/support/test-app';

const env = (name: string, fallback: number): number =>
  process.env[name] ? Number(process.env[name]) : fallback;
const round = (value: number, digits = 0): number => Math.round(value * 10 ** digits) / 10 ** digits;
const log = (message: string): void => console.log(`[bench:kpi] ${message}`);

const SITE = 'bench-kpi';
const TZ = 'Europe/Madrid';
const config = {
  resources: env('BENCH_KPI_RESOURCES', 300),
  months: env('BENCH_KPI_MONTHS', 12),
  /** One presence reading per sensor every this many minutes while the site is open. */
  reading_minutes: env('BENCH_KPI_READING_MINUTES', 15),
  runs: env('BENCH_KPI_RUNS', 20),
  end_date: '2026-10-31',
  opening_hours: 'Mon-Fri 08:00-20:00',
  storage: 'memory (embedded TimescaleDB, worker thread)',
  generated_by: 'SQL generate_series inside the database (not the simulator, not ingest)',
};

function siteDocument(): SiteDocumentInput {
  const kinds = ['desk', 'desk', 'desk', 'meeting_room', 'phone_booth'] as const;
  const resources = Array.from({ length: config.resources }, (_, i) => ({
    id: `r-${i}`,
    name: `Resource ${i}`,
    kind: kinds[i % kinds.length],
    capacity: 4,
    polygon: [
      [0, 0],
      [1, 0],
      [1, 1],
    ] as [number, number][],
  }));
  return {
    name: 'KPI bench',
    timeZone: TZ,
    currency: 'EUR',
    openingHours: (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({
      day,
      open: '08:00',
      close: '20:00',
    })),
    floors: [{ id: 'f0', name: 'Floor', plan: { width: 10, height: 10 }, resources }],
    devices: resources.map((r) => ({
      id: `pir-${r.id}`,
      type: 'sensor' as const,
      name: r.id,
      resources: [r.id],
    })),
  };
}

const p95 = (samples: number[]): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)];
};

async function main(): Promise<void> {
  const db = await openSeededDatabase();
  const platform = await startPlatform(new BorrowedDatabase(db));
  try {
    await platform.putSite(SITE, siteDocument());
    const [endYear, endMonth] = config.end_date.split('-').map(Number);
    const first = new Date(Date.UTC(endYear, endMonth - config.months, 1)).toISOString().slice(0, 10);
    const dates = datesOf({ from: first, to: config.end_date });
    log(
      `generating ${config.months} months (${first}..${config.end_date}) for ${config.resources} resources`,
    );

    // Per open day: each resource is present in about 40% of the hours (a hash of resource and hour), with a 1
    // every `reading_minutes` while present and a 0 when the hour's presence ends.
    const genStart = performance.now();
    let rows = 0;
    for (const date of dates) {
      const open = openIntervals(siteDocument().openingHours!, TZ, date, date);
      if (open.length === 0) continue;
      const { rowCount } = await db.query(
        `INSERT INTO sensor_readings (ts, site_id, sensor_id, event_id, kind, value, resource_id, device_ts, received_at)
         SELECT t, $1, 'pir-r-' || r, 'e-' || r || '-' || extract(epoch FROM t)::bigint, 'presence',
                CASE WHEN extract(minute FROM t) >= 60 - $5::int THEN 0 ELSE 1 END, 'r-' || r, t, t
         FROM generate_series(0, $4::int - 1) AS r,
              generate_series($2::timestamptz, $3::timestamptz - interval '1 minute', make_interval(mins => $5::int)) AS t
         WHERE hashtext(r::text || date_trunc('hour', t)::text) % 10 BETWEEN 0 AND 3`,
        [
          SITE,
          new Date(open[0].start).toISOString(),
          new Date(open[0].end).toISOString(),
          config.resources,
          config.reading_minutes,
        ],
      );
      rows += rowCount;
    }
    const generateS = (performance.now() - genStart) / 1000;
    log(`${rows} readings in ${round(generateS, 1)} s`);

    const matStart = performance.now();
    await platform.app.get(Materialiser).materialise(SITE, dates);
    const materialiseS = (performance.now() - matStart) / 1000;
    log(`materialised ${dates.length} days in ${round(materialiseS, 1)} s`);
    // One maintenance pass (today's days, compression and retention policies) before measuring, so the job does
    // not run in the middle of the timed requests.
    const maintStart = performance.now();
    await platform.app.get(KpiMaintenance).runOnce();
    const maintenanceS = (performance.now() - maintStart) / 1000;
    log(`maintenance pass in ${round(maintenanceS, 1)} s`);

    const time = async (query: string): Promise<number[]> => {
      const samples: number[] = [];
      for (let i = 0; i < config.runs + 2; i++) {
        const started = performance.now();
        const res = await request(platform.url)
          .get(`/v1/sites/${SITE}/kpis?${query}`)
          .set('Authorization', `Bearer ${ADMIN_TOKEN}`);
        if (res.status !== 200) throw new Error(`${query}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
        if (i >= 2) samples.push(performance.now() - started);
      }
      return samples;
    };
    const month = await time(`period=month&date=${config.end_date}`);
    const year = await time(`period=year&date=${config.end_date}`);

    // The month's totals from the raw hypertable with the same SQL the materialiser runs, against the aggregates.
    const repo = platform.app.get(KpiRepository);
    const period = periodOf('month', config.end_date);
    const from = new Date(zonedInstant(period.from, 0, TZ));
    const to = new Date(zonedInstant(addDays(period.to, 1), 0, TZ));
    const open = clip(
      openIntervals(siteDocument().openingHours!, TZ, period.from, period.to),
      from.getTime(),
      to.getTime(),
    );
    const range = { siteId: SITE, fromDate: period.from, toDate: period.to, from, to };
    const aggregateMs: number[] = [];
    const rawMs: number[] = [];
    let agreement = 0;
    for (let i = 0; i < 5; i++) {
      let t = performance.now();
      const agg = await repo.resourceTotals(range);
      aggregateMs.push(performance.now() - t);
      t = performance.now();
      const raw = await repo.rawResourceTotals(range, TZ, {
        starts: open.map((o) => new Date(o.start)),
        ends: open.map((o) => new Date(o.end)),
      });
      rawMs.push(performance.now() - t);
      const sum = (xs: { occupiedS: number }[]) => xs.reduce((s, x) => s + x.occupiedS, 0);
      agreement = sum(agg) / Math.max(1, sum(raw));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

    const reportMonth = config.end_date.slice(0, 7);
    const reportStarted = performance.now();
    const report = await platform.app.get(ReportsService).generateReport(SITE, reportMonth);
    const reportS = (performance.now() - reportStarted) / 1000;
    log(`report ${reportMonth}: ${round(reportS, 1)} s, ${report.pdfPages} PDF pages`);

    const metrics = {
      kpi_month_p95_ms: round(p95(month), 1),
      kpi_year_p95_ms: round(p95(year), 1),
      // the middle and the worst sample beside p95, to tell a slow query from a request that waited behind other work
      kpi_month_p50_ms: round(median(month), 1),
      kpi_month_max_ms: round(Math.max(...month), 1),
      kpi_year_p50_ms: round(median(year), 1),
      kpi_year_max_ms: round(Math.max(...year), 1),
      report_s: round(reportS, 1),
      raw_over_aggregate_ratio: round(median(rawMs) / median(aggregateMs), 1),
      raw_month_totals_ms: round(median(rawMs), 1),
      aggregate_month_totals_ms: round(median(aggregateMs), 1),
      aggregate_over_raw_occupied: round(agreement, 4),
      readings: rows,
      generate_s: round(generateS, 1),
      materialise_s: round(materialiseS, 1),
      materialise_readings_per_s: round(rows / materialiseS),
      maintenance_pass_s: round(maintenanceS, 1),
    };
    const result = {
      name: 'kpi',
      at: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        memory_gb: round(totalmem() / 2 ** 30, 1),
        node: process.version,
        cpu_model: cpus()[0]?.model.split(' ').slice(0, 2).join(' '),
      },
      config: { ...config, host_load_avg_at_start: loadavg().map((x) => round(x, 2)) },
      targets: { kpi_month_p95_ms: 300, kpi_year_p95_ms: 2000, report_s: 15 },
      metrics,
    };
    mkdirSync(join(__dirname, 'results'), { recursive: true });
    writeFileSync(join(__dirname, 'results', 'kpi.json'), `${JSON.stringify(result, null, 2)}\n`);
    log(JSON.stringify(metrics));
  } finally {
    await platform.close();
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
