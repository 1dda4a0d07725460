import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

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
  const port = await freePort();
  const worker = new Worker(join(__dirname, 'wire-database.worker.cjs'), { workerData: { port, seedPath } });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', (message: { ready: boolean; message?: string }) =>
      message.ready ? resolve() : reject(new Error(`wire database failed: ${message.message}`)),
    );
    worker.once('error', reject);
  });
  let next = 0;
  const call = (op: 'start' | 'stop' | 'close') =>
    new Promise<void>((resolve, reject) => {
      const id = ++next;
      const onMessage = (message: { id?: number; ok?: boolean; message?: string }) => {
        if (message.id !== id) return;
        worker.off('message', onMessage);
        if (message.ok) resolve();
        else reject(new Error(message.message));
      };
      worker.on('message', onMessage);
      worker.postMessage({ id, op });
    });
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    port,
    start: () => call('start'),
    stop: () => call('stop'),
    close: async () => {
      await call('close');
      await worker.terminate();
    },
  };
}
