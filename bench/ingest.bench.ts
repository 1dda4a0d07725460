// `npm run bench:ingest`: the ingest figures of the embedded default, in one run, written to bench/results/ingest.json.
//   raw ceiling  - the same rows inserted straight into sensor_readings (child process, fresh migrated database)
//   full path    - MQTT publish (child process) -> embedded aedes -> validate -> map -> dedupe -> batch -> hypertable
//   latency      - publish-to-visible at a paced 1,000 events/s, seen by polling the database
//   peak RSS     - of this process, which runs the app and its database worker thread
// See bench/README.md for what each figure means and how it is measured.
import { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Database } from '@cw/database';
import { IngestMetrics } from '@cw/metrics';
import { startPlatform, TestPlatform } from '../tests/support/test-app';
import { gitState } from './git-state';
import { openBenchDatabase, removeDir, storageOf } from './ingest/database';
import {
  FloodPlan,
  FromPublisher,
  FromRaw,
  PacedPlan,
  PublisherDone,
  RawPlan,
  RawResult,
  ToPublisher,
} from './ingest/protocol';
import { benchSiteDocument, sensorId } from './ingest/site';
import {
  cpuSnapshot,
  forkTs,
  mb,
  nextMessage,
  otherCores,
  percentile,
  reap,
  round,
  RssSampler,
  sleep,
} from './ingest/util';

const env = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const SITE = 'bench';
const storage = storageOf(process.env.BENCH_STORAGE);
const ALL_PHASES = ['raw', 'latency', 'flood', 'evidence'];

const config = {
  storage,
  storage_note:
    storage === 'disk'
      ? 'data directory on disk as npm start uses (DATA_DIR), started from the migrated seed, in os.tmpdir(), removed afterwards'
      : 'in-memory database as the tests use, started from the migrated seed: the whole database lives in RSS',
  site: {
    id: SITE,
    desk_sensors: 64,
    reading: 'presence, one sensor per desk, so each reading maps to a resource',
  },
  app: {
    how: 'the api app via tests/support/test-app startPlatform (embedded aedes on a free port), database opened by the bench and migrated as at boot',
    INGEST_BATCH_SIZE: env('BENCH_INGEST_BATCH_SIZE', 2000),
    INGEST_FLUSH_MS: env('BENCH_INGEST_FLUSH_MS', 10),
    INGEST_MAX_PENDING: env('BENCH_INGEST_MAX_PENDING', 50000),
    LOG_LEVEL: 'silent',
    tuning:
      'the app defaults (2000 / 25 ms) gave the highest sustained rate: 5000-row batches left the writer idle ~25% of the time between batches (4,800 events in flight is < 2 batches), 1000-row batches cost more per row',
  },
  raw: {
    storage,
    rows: env('BENCH_RAW_ROWS', 200_000),
    unnestBatch: 5000,
    copyBatch: 25_000,
    repoBatch: 5000,
    sensors: 64,
  } satisfies RawPlan,
  full_path: {
    publisher: 'separate process (child_process.fork), mqtt.js, integration key of the site',
    connections: env('BENCH_CONNECTIONS', 12),
    inflight_per_connection: env('BENCH_INFLIGHT', 8),
    events_per_message: env('BENCH_PER_MESSAGE', 50),
    qos: 1,
    warmup_ms: 3000,
    window_ms: env('BENCH_WINDOW_MS', 15_000),
    presence_ones_share: 0,
    presence_ones_note:
      'readings are presence=0: none is check-in evidence, so the no-show engine looks nothing up (the occupancy engine still applies each reading in memory); this is the ingest path itself',
    max_events: 2_000_000,
  },
  full_path_evidence: {
    note: 'same publisher, but half the readings are presence=1: each one is check-in evidence the no-show engine looks up in the bookings table',
    presence_ones_share: env('BENCH_PRESENCE_ONES', 0.5),
    warmup_ms: 3000,
    window_ms: env('BENCH_EVIDENCE_WINDOW_MS', 8000),
  },
  latency: {
    rate_eps: 1000,
    events_per_message: 1,
    connections: 4,
    sensors: 4,
    presence_ones_share: env('BENCH_LATENCY_ONES', 0.5),
    duration_ms: env('BENCH_LATENCY_MS', 22_000),
    warmup_ms: 2000,
    poll_interval_ms: 20,
    expire_ms: 5000,
    note: 'visible = arrival of the first poll result holding the row minus the publish time stamped in the payload (same clock); polling adds up to poll_interval_ms plus the poll query time',
  },
  rss_sample_ms: 200,
  phases: process.env.BENCH_PHASES ? process.env.BENCH_PHASES.split(',') : ALL_PHASES,
};

const log = (message: string) => console.log(`[bench:ingest] ${message}`);

// ---------------------------------------------------------------------------------------------------------------
// 1. Raw ceiling, in a child process.

async function measureRaw(): Promise<RawResult & { other_cpu_cores?: number }> {
  const child = forkTs(join(__dirname, 'ingest', 'raw.child.ts'));
  child.on('message', (m: FromRaw) => m.type === 'log' && log(`raw: ${m.message}`));
  try {
    const pids = [process.pid, child.pid ?? process.pid];
    const host0 = cpuSnapshot(pids);
    const t0 = Date.now();
    child.send(config.raw);
    const result = await nextMessage<FromRaw>(child, (m) => m.type === 'raw', 120_000).then(
      (m) => m as RawResult,
    );
    return { ...result, other_cpu_cores: otherCores(host0, cpuSnapshot(pids), Date.now() - t0) };
  } finally {
    await reap(child);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Publisher child helpers.

async function startPublisher(plan: FloodPlan | PacedPlan): Promise<ChildProcess> {
  const child = forkTs(join(__dirname, 'ingest', 'publisher.child.ts'));
  try {
    child.send({ type: 'start', plan } satisfies ToPublisher);
    await nextMessage<FromPublisher>(child, (m) => m.type === 'connected', 30_000);
    return child;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

const tell = (child: ChildProcess, message: ToPublisher) => {
  if (child.connected) child.send(message);
};

const waitDone = (child: ChildProcess, timeoutMs: number) =>
  nextMessage<FromPublisher>(child, (m) => m.type === 'done', timeoutMs).then((m) => m as PublisherDone);

// ---------------------------------------------------------------------------------------------------------------
// 3. Latency at a paced 1,000 events/s.

interface LatencyResult {
  events: number;
  seen: number;
  unseen: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  polls: number;
  poll_query_ms_mean: number;
  other_cpu_cores?: number;
  publisher: PublisherDone;
}

async function measureLatency(platform: TestPlatform, db: Database, key: string): Promise<LatencyResult> {
  const c = config.latency;
  const sensors = Array.from({ length: c.sensors }, (_, i) => sensorId(i));
  const child = await startPublisher({
    mode: 'paced',
    url: platform.mqtt.url,
    key,
    siteId: SITE,
    sensors,
    connections: c.connections,
    rate: c.rate_eps,
    presenceOnes: c.presence_ones_share,
    idPrefix: `lat-${Date.now().toString(36)}`,
    durationMs: c.duration_ms,
  });
  const published = new Map<string, number>();
  const unseen = new Map<string, number>(); // in publish order: the first entry is the oldest event not yet seen
  const seenAt = new Map<string, number>();
  let lastPublished = 0;
  let done: PublisherDone | undefined;
  child.on('message', (m: FromPublisher) => {
    if (m.type === 'sent') {
      for (const [id, t] of m.items) {
        published.set(id, t);
        if (!seenAt.has(id)) unseen.set(id, t);
        lastPublished = Math.max(lastPublished, t);
      }
    } else if (m.type === 'done') done = m;
  });
  try {
    const start = Date.now();
    const pids = [process.pid, child.pid ?? process.pid];
    const host0 = cpuSnapshot(pids);
    tell(child, { type: 'go' });
    let polls = 0;
    let pollMs = 0;
    let doneAt = 0;
    const hardStop = start + c.duration_ms + 20_000;
    while (Date.now() < hardStop) {
      if (done && !doneAt) doneAt = Date.now();
      if (doneAt && (unseen.size === 0 || Date.now() - doneAt > 3000)) break;
      // Cursor: publish time of the oldest event not yet seen (its `ts`); events older than expire_ms are given up.
      const now = Date.now();
      let cursor = lastPublished || start;
      for (const [id, t] of unseen) {
        if (now - t > c.expire_ms) {
          unseen.delete(id);
          continue;
        }
        cursor = t;
        break;
      }
      const t0 = performance.now();
      const { rows } = await db.query<{ event_id: string }>(
        'SELECT event_id FROM sensor_readings WHERE site_id = $1 AND sensor_id = ANY($2::text[]) AND ts >= $3::timestamptz',
        [SITE, sensors, new Date(cursor).toISOString()],
      );
      const seenTime = Date.now();
      pollMs += performance.now() - t0;
      polls++;
      for (const { event_id } of rows) {
        if (seenAt.has(event_id)) continue;
        seenAt.set(event_id, seenTime);
        unseen.delete(event_id);
      }
      await sleep(c.poll_interval_ms);
    }
    const host1 = cpuSnapshot(pids);
    const elapsed = Date.now() - start;
    done ??= await waitDone(child, 15_000);
    const latencies: number[] = [];
    let counted = 0;
    for (const [id, t] of published) {
      if (t < start + c.warmup_ms) continue;
      counted++;
      const seen = seenAt.get(id);
      if (seen !== undefined) latencies.push(seen - t);
    }
    latencies.sort((a, b) => a - b);
    return {
      events: counted,
      seen: latencies.length,
      unseen: counted - latencies.length,
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: latencies[latencies.length - 1] ?? NaN,
      polls,
      poll_query_ms_mean: round(pollMs / Math.max(1, polls), 2),
      other_cpu_cores: otherCores(host0, host1, elapsed),
      publisher: done,
    };
  } finally {
    tell(child, { type: 'stop' });
    await reap(child);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Full path at the highest sustained rate.

async function metricSnapshot(metrics: IngestMetrics) {
  const sum = async (
    metric: { get(): Promise<{ values: { value: number; metricName?: string }[] }> },
    suffix?: string,
  ) =>
    (await metric.get()).values
      .filter((v) => suffix === undefined || v.metricName?.endsWith(suffix))
      .reduce((total, v) => total + v.value, 0);
  return {
    stored: await sum(metrics.eventsIn),
    duplicates: await sum(metrics.duplicates),
    rejected: await sum(metrics.rejected),
    batches: await sum(metrics.batchSize, '_count'),
    batchItems: await sum(metrics.batchSize, '_sum'),
    writeSeconds: await sum(metrics.writeSeconds, '_sum'),
    writeErrors: await sum(metrics.writeErrors),
  };
}

async function countRows(db: Database, prefix: string): Promise<{ n: number; at: number; queryMs: number }> {
  const t0 = performance.now();
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM sensor_readings WHERE site_id = $1 AND event_id LIKE $2',
    [SITE, `${prefix}%`],
  );
  const t1 = performance.now();
  return { n: rows[0].n, at: (t0 + t1) / 2, queryMs: round(t1 - t0, 1) };
}

type FloodResult = Awaited<ReturnType<typeof measureFlood>>;

async function measureFlood(
  platform: TestPlatform,
  db: Database,
  key: string,
  tag: string,
  presenceOnes: number,
  warmupMs: number,
  windowMs: number,
) {
  const c = config.full_path;
  const prefix = `${tag}-${Date.now().toString(36)}`;
  const metrics = platform.app.get(IngestMetrics);
  const child = await startPublisher({
    mode: 'flood',
    url: platform.mqtt.url,
    key,
    siteId: SITE,
    sensors: Array.from({ length: config.site.desk_sensors }, (_, i) => sensorId(i)),
    connections: c.connections,
    inflight: c.inflight_per_connection,
    perMessage: c.events_per_message,
    presenceOnes,
    idPrefix: prefix,
    maxEvents: c.max_events,
    maxMs: warmupMs + windowMs + 15_000,
  });
  let done: PublisherDone | undefined;
  child.on('message', (m: FromPublisher) => {
    if (m.type === 'done') done = m;
  });
  try {
    const before = await metricSnapshot(metrics);
    tell(child, { type: 'go' });
    await sleep(warmupMs);
    const start = await countRows(db, prefix);
    const m0 = await metricSnapshot(metrics);
    const cpu0 = process.cpuUsage();
    const elu0 = performance.eventLoopUtilization();
    const pids = [process.pid, child.pid ?? process.pid];
    const host0 = cpuSnapshot(pids);
    await sleep(windowMs);
    const host1 = cpuSnapshot(pids);
    const end = await countRows(db, prefix);
    const m1 = await metricSnapshot(metrics);
    const cpu = process.cpuUsage(cpu0);
    const elu = performance.eventLoopUtilization(elu0);
    const memory = process.memoryUsage();
    // Only with `node --expose-gc`: how much of the main heap was garbage not yet collected.
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const afterGc = gc ? mb(process.memoryUsage().heapUsed) : undefined;
    tell(child, { type: 'stop' });
    done ??= await waitDone(child, 30_000);
    const total = await countRows(db, prefix);
    const after = await metricSnapshot(metrics);
    const ms = end.at - start.at;
    const batches = Math.max(1, m1.batches - m0.batches);
    return {
      eps: Math.round(((end.n - start.n) * 1000) / ms),
      window_s: round(ms / 1000, 2),
      window_rows: end.n - start.n,
      events_total: total.n,
      count_query_ms: [start.queryMs, end.queryMs, total.queryMs],
      published: done.published,
      acked: done.acked,
      failed: done.failed,
      first_error: done.firstError,
      duplicates: after.duplicates - before.duplicates,
      rejected: after.rejected - before.rejected,
      write_errors: after.writeErrors - before.writeErrors,
      metrics_stored_eps: Math.round(((m1.stored - m0.stored) * 1000) / ms),
      mean_batch_items: round((m1.batchItems - m0.batchItems) / batches),
      batches_per_s: round(((m1.batches - m0.batches) * 1000) / ms, 1),
      mean_write_ms: round(((m1.writeSeconds - m0.writeSeconds) * 1000) / batches, 1),
      /** Share of the window the ingest path spent inside writeBatch (call to resolution on the main thread). */
      write_busy: round(((m1.writeSeconds - m0.writeSeconds) * 1000) / ms, 2),
      app_process_cpu_cores: round((cpu.user + cpu.system) / 1000 / ms, 2),
      app_main_thread_elu: round(elu.utilization, 2),
      publisher_cpu_cores: round(done.cpuMs / done.elapsedMs, 2),
      other_cpu_cores: otherCores(host0, host1, ms),
      publisher_peak_rss_mb: done.peakRssMb,
      /** Main thread's V8 heap and off-heap memory at the end of the window (the worker's are not visible here). */
      memory_at_window_end_mb: {
        rss: mb(memory.rss),
        main_heap_total: mb(memory.heapTotal),
        main_heap_used: mb(memory.heapUsed),
        external: mb(memory.external),
        array_buffers: mb(memory.arrayBuffers),
        main_heap_used_after_gc: afterGc,
      },
    };
  } finally {
    tell(child, { type: 'stop' });
    await reap(child, 10_000);
  }
}

// ---------------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = Date.now();
  const guard = setTimeout(() => {
    console.error('[bench:ingest] exceeded 300 s, aborting');
    process.exit(2);
  }, 300_000);
  guard.unref();
  const git = gitState();
  const machine = {
    cpus: cpus().length,
    memory_gb: round(totalmem() / 1024 ** 3, 1),
    node: process.version,
    cpu_model: cpus()[0]?.model ?? 'unknown',
  };
  const loadAtStart = loadavg().map((v) => round(v, 2));
  // Other work on the machine lowers every figure: measure it for 2 s before starting, and in each window.
  const quiet0 = cpuSnapshot([process.pid]);
  await sleep(2000);
  const otherAtStart = otherCores(quiet0, cpuSnapshot([process.pid]), 2000);
  if (otherAtStart !== undefined && otherAtStart > 0.2) {
    log(
      `warning: other processes use ${otherAtStart} cores: the figures will be lower than on a quiet machine`,
    );
  }
  const rssBeforeApp = process.memoryUsage.rss();

  let raw: (RawResult & { other_cpu_cores?: number }) | undefined;
  if (config.phases.includes('raw')) {
    log(`raw ceiling: ${config.raw.rows.toLocaleString('en-US')} rows per method, in a child process ...`);
    raw = await measureRaw();
  }

  // The app: embedded TimescaleDB (worker thread) + the api app with its embedded aedes broker, in this process.
  const sampler = new RssSampler(config.rss_sample_ms);
  sampler.phase('boot');
  let db: Database | undefined;
  let dataDir: string | undefined;
  let platform: TestPlatform | undefined;
  let latency: LatencyResult | undefined;
  let full: FloodResult | undefined;
  let evidence: FloodResult | undefined;
  let rssAfterBoot = 0;
  let memoryAfterBoot: Record<string, number> | undefined;
  let rejectedTotal: number | undefined;
  let rejectedRows: number | undefined;
  try {
    ({ db, dataDir } = await openBenchDatabase(config.storage, 'app'));
    platform = await startPlatform(db, {
      INGEST_BATCH_SIZE: String(config.app.INGEST_BATCH_SIZE),
      INGEST_FLUSH_MS: String(config.app.INGEST_FLUSH_MS),
      INGEST_MAX_PENDING: String(config.app.INGEST_MAX_PENDING),
      LOG_LEVEL: 'silent',
    });
    await platform.putSite(SITE, benchSiteDocument(config.site.desk_sensors));
    const key = await platform.createKey('integration', SITE);
    const atBoot = await metricSnapshot(platform.app.get(IngestMetrics));
    rssAfterBoot = sampler.sample();
    const m = process.memoryUsage();
    memoryAfterBoot = { rss: mb(m.rss), main_heap_total: mb(m.heapTotal), main_heap_used: mb(m.heapUsed) };
    log(`app up (rss ${mb(rssAfterBoot)} MB), broker ${platform.mqtt.url}`);
    if (config.phases.includes('latency')) {
      sampler.phase('latency');
      log(`latency: ${config.latency.rate_eps} events/s for ${config.latency.duration_ms / 1000} s ...`);
      latency = await measureLatency(platform, db, key);
      log(`latency: p50 ${latency.p50} ms, p99 ${latency.p99} ms, unseen ${latency.unseen}`);
    }
    const fp = config.full_path;
    if (config.phases.includes('flood')) {
      sampler.phase('full_path');
      log(
        `full path: ${fp.connections} connections x ${fp.inflight_per_connection} in flight x ${fp.events_per_message} events/message, ${fp.window_ms / 1000} s window ...`,
      );
      full = await measureFlood(
        platform,
        db,
        key,
        'flood',
        fp.presence_ones_share,
        fp.warmup_ms,
        fp.window_ms,
      );
      log(`full path: ${full.eps} events/s over ${full.window_s} s`);
    }
    if (config.phases.includes('evidence')) {
      sampler.phase('full_path_evidence');
      const ev = config.full_path_evidence;
      log(`full path with ${ev.presence_ones_share * 100}% presence=1: ${ev.window_ms / 1000} s window ...`);
      evidence = await measureFlood(
        platform,
        db,
        key,
        'evid',
        ev.presence_ones_share,
        ev.warmup_ms,
        ev.window_ms,
      );
      log(`full path with evidence: ${evidence.eps} events/s over ${evidence.window_s} s`);
    }
    rejectedTotal = (await metricSnapshot(platform.app.get(IngestMetrics))).rejected - atBoot.rejected;
    rejectedRows = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM rejected_events')).rows[0]
      .n;
    sampler.phase('shutdown');
  } finally {
    if (platform) await platform.close();
    sampler.stop();
    if (db) await db.close();
    removeDir(dataDir);
  }

  const copyEps = raw && 'eps' in raw.copy ? raw.copy.eps : undefined;
  const unnestEps = raw?.unnest.eps;
  const rawCeiling = Math.max(copyEps ?? 0, unnestEps ?? 0) || undefined;
  const rawMethod =
    rawCeiling === undefined
      ? 'not measured'
      : rawCeiling === copyEps
        ? 'copy_blob_pglite_direct'
        : 'unnest_via_port';
  const ratio = (eps: number | undefined, of: number | undefined) =>
    eps !== undefined && of ? round(eps / of, 3) : undefined;
  const peakRss = mb(sampler.peak);

  const metrics = {
    raw_ceiling_eps: rawCeiling,
    full_path_eps: full?.eps,
    ratio_full_to_raw: ratio(full?.eps, rawCeiling),
    visible_p50_ms: latency?.p50,
    visible_p99_ms: latency?.p99,
    peak_rss_mb: peakRss,
    raw_copy_eps: copyEps,
    raw_unnest_eps: unnestEps,
    raw_unnest_direct_eps: raw?.unnestDirect?.eps,
    repository_write_eps: raw?.repository.eps,
    ratio_full_to_raw_unnest: ratio(full?.eps, unnestEps),
    ratio_full_to_repository_write: ratio(full?.eps, raw?.repository.eps),
    full_path_events: full?.events_total,
    full_path_duplicates: full?.duplicates,
    rejected: rejectedTotal,
    rejected_rows: rejectedRows,
    full_path_failed: full?.failed,
    full_path_mean_batch: full?.mean_batch_items,
    full_path_mean_write_ms: full?.mean_write_ms,
    full_path_write_busy: full?.write_busy,
    full_path_app_cpu_cores: full?.app_process_cpu_cores,
    full_path_app_main_thread_elu: full?.app_main_thread_elu,
    full_path_publisher_cpu_cores: full?.publisher_cpu_cores,
    full_path_other_cpu_cores: full?.other_cpu_cores,
    full_path_evidence_eps: evidence?.eps,
    ratio_full_evidence_to_raw: ratio(evidence?.eps, rawCeiling),
    full_path_evidence_write_busy: evidence?.write_busy,
    full_path_evidence_mean_write_ms: evidence?.mean_write_ms,
    full_path_evidence_other_cpu_cores: evidence?.other_cpu_cores,
    visible_p90_ms: latency?.p90,
    visible_max_ms: latency?.max,
    latency_events: latency?.events,
    latency_unseen: latency?.unseen,
    latency_poll_query_ms: latency?.poll_query_ms_mean,
    latency_other_cpu_cores: latency?.other_cpu_cores,
    rss_after_boot_mb: mb(rssAfterBoot),
    ...Object.fromEntries(
      Object.entries(sampler.phases).map(([phase, peak]) => [`peak_rss_${phase}_mb`, peak]),
    ),
    rss_before_app_mb: mb(rssBeforeApp),
    raw_child_peak_rss_mb: raw?.peakRssMb,
    raw_other_cpu_cores: raw?.other_cpu_cores,
    bench_seconds: round((Date.now() - started) / 1000, 1),
  };
  const others = [
    otherAtStart,
    raw?.other_cpu_cores,
    latency?.other_cpu_cores,
    full?.other_cpu_cores,
    evidence?.other_cpu_cores,
  ].filter((v): v is number => v !== undefined);
  const contention = { max_other_cpu_cores: others.length ? Math.max(...others) : undefined, threshold: 0.2 };
  const contended = contention.max_other_cpu_cores !== undefined && contention.max_other_cpu_cores > 0.2;
  if (contended) {
    log(
      `warning: other processes used up to ${contention.max_other_cpu_cores} cores during the run: figures are low and ratios unreliable; rerun on a quiet machine`,
    );
  }
  const met = (value: number | undefined, ok: (v: number) => boolean) =>
    value === undefined ? null : ok(value);
  const targets = {
    full_path_ratio: {
      target: '>= 0.5 of raw ceiling',
      value: metrics.ratio_full_to_raw,
      met: met(metrics.ratio_full_to_raw, (v) => v >= 0.5),
    },
    full_path_ratio_with_evidence: {
      target: '>= 0.5 of raw ceiling',
      value: metrics.ratio_full_evidence_to_raw,
      met: met(metrics.ratio_full_evidence_to_raw, (v) => v >= 0.5),
    },
    visible_p99_at_1000_eps: {
      target: '<= 500 ms',
      value: latency?.p99,
      met: latency ? latency.p99 <= 500 && latency.unseen === 0 : null,
    },
    peak_rss: { target: '<= 400 MB', value: peakRss, met: peakRss <= 400 },
  };
  const result = {
    name: 'ingest',
    at: new Date().toISOString(),
    machine,
    config: {
      git,
      host_load_avg_at_start: loadAtStart,
      other_cpu_cores_at_start: otherAtStart,
      contended,
      contention,
      host_load_avg_at_end: loadavg().map((v) => round(v, 2)),
      ...config,
      raw_ceiling_method: rawMethod,
      raw_methods: {
        unnest_via_port: `INSERT INTO sensor_readings SELECT FROM unnest(10 arrays), no dedupe, batches of ${config.raw.unnestBatch}, through the Database port (PGlite in a worker thread)`,
        copy_blob_pglite_direct: `COPY sensor_readings FROM '/dev/blob' (csv), batches of ${config.raw.copyBatch}, PGlite opened directly (the port has no COPY)`,
        unnest_direct: 'the unnest statement on that same directly opened PGlite',
        repository_write: `IngestRepository.writeBatch (dedupe CTE through ingested_events, in a transaction), batches of ${config.raw.repoBatch}, through the port`,
        rows_per_method: config.raw.rows,
        where:
          'a child process, one fresh database per connection kind; the first batch is a warm-up and is not timed',
      },
      peak_rss_note:
        'RSS of the bench process while the app runs (main thread + PGlite worker thread, WASM heap included); it also holds ts-node and the bench poller (rss_before_app_mb)',
    },
    metrics,
    targets,
    details: {
      raw,
      memory_after_boot_mb: memoryAfterBoot,
      latency,
      full_path: full,
      full_path_evidence: evidence,
    },
  };
  // Only a run of every phase with the default knobs replaces the committed result; explorations go to tmp.
  const complete = !Object.keys(process.env).some((name) => name.startsWith('BENCH_'));
  const out = complete
    ? join(__dirname, 'results', 'ingest.json')
    : join(tmpdir(), 'cw-bench-ingest.partial.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  printSummary(metrics, targets, rawMethod);
  log(`written ${out}`);
}

function printSummary(
  m: Record<string, number | undefined>,
  targets: Record<string, { target: string; value?: number; met: boolean | null }>,
  rawMethod: string,
) {
  const f = (v: number | undefined, unit = '') =>
    v === undefined || Number.isNaN(v) ? 'n/a' : `${v.toLocaleString('en-US')}${unit}`;
  const lines = [
    '',
    'Ingest benchmark (embedded default: PGlite+TimescaleDB in a worker thread, embedded aedes broker)',
    `  raw ceiling             ${f(m.raw_ceiling_eps, ' rows/s')}  (${rawMethod}; COPY ${f(m.raw_copy_eps)}, unnest via port ${f(m.raw_unnest_eps)}, unnest direct ${f(m.raw_unnest_direct_eps)})`,
    `  repository write        ${f(m.repository_write_eps, ' rows/s')}  (the ingest SQL alone: dedupe CTE + transaction, via port)`,
    `  full path               ${f(m.full_path_eps, ' events/s')}  (${f(m.full_path_events)} stored, ${f(m.full_path_duplicates)} duplicates, ${f(m.full_path_failed)} failed)`,
    `    ratio                 ${f(m.ratio_full_to_raw)} of raw ceiling, ${f(m.ratio_full_to_raw_unnest)} of raw unnest, ${f(m.ratio_full_to_repository_write)} of repository write`,
    `    batches               mean ${f(m.full_path_mean_batch)} items, ${f(m.full_path_mean_write_ms)} ms per write, in writeBatch ${f(m.full_path_write_busy)} of the time`,
    `    cpu (cores)           app process ${f(m.full_path_app_cpu_cores)}, app main thread ELU ${f(m.full_path_app_main_thread_elu)}, publisher ${f(m.full_path_publisher_cpu_cores)}, other processes ${f(m.full_path_other_cpu_cores)}`,
    `  full path, 50% ones     ${f(m.full_path_evidence_eps, ' events/s')}  (${f(m.ratio_full_evidence_to_raw)} of raw; ${f(m.full_path_evidence_mean_write_ms)} ms per write; other processes ${f(m.full_path_evidence_other_cpu_cores)} cores)`,
    `  visible at 1,000 ev/s   p50 ${f(m.visible_p50_ms, ' ms')}, p90 ${f(m.visible_p90_ms, ' ms')}, p99 ${f(m.visible_p99_ms, ' ms')}, max ${f(m.visible_max_ms, ' ms')} (${f(m.latency_unseen)} unseen of ${f(m.latency_events)}; poll query ${f(m.latency_poll_query_ms, ' ms')}; other processes ${f(m.latency_other_cpu_cores)} cores)`,
    `  peak RSS                ${f(m.peak_rss_mb, ' MB')}  (after boot ${f(m.rss_after_boot_mb, ' MB')}; peak in latency ${f(m.peak_rss_latency_mb)}, full path ${f(m.peak_rss_full_path_mb)}, with evidence ${f(m.peak_rss_full_path_evidence_mb)}; bench process before the app ${f(m.rss_before_app_mb, ' MB')})`,
    `  rejected                ${f(m.rejected)}`,
    '  targets',
    ...Object.entries(targets).map(
      ([name, t]) =>
        `    ${name.padEnd(30)} ${t.met === null ? 'not measured' : t.met ? 'MET    ' : 'NOT MET'}  ${f(t.value)} (${t.target})`,
    ),
    `  took ${f(m.bench_seconds, ' s')}`,
    '',
  ];
  console.log(lines.join('\n'));
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error);
    process.exit(1);
  },
);
