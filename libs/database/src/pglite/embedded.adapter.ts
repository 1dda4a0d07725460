import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Database, DatabaseUnavailableError, QueryResult, TransactionScope } from '../database.port';

export interface EmbeddedOptions {
  /** Folder of the persisted database; omit for an in-memory one (tests). */
  dataDir?: string;
  /** A gzipped tarball from `dump()` to start from (tests seed each file from one migrated copy). */
  loadDataDir?: string;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface WorkerReply {
  id?: number;
  ok?: boolean;
  ready?: boolean;
  result?: unknown;
  error?: { message: string; code?: string; detail?: string; constraint?: string };
}

/** Error raised by the embedded database, carrying the same fields as a `pg` DatabaseError. */
export class EmbeddedDatabaseError extends Error {
  code?: string;
  detail?: string;
  constraint?: string;
  constructor(fields: NonNullable<WorkerReply['error']>) {
    super(fields.message);
    this.name = 'DatabaseError';
    Object.assign(this, fields);
  }
}

/** The embedded TimescaleDB, in a worker thread so WASM work never blocks the event loop. */
export class EmbeddedDatabase extends Database {
  readonly kind = 'embedded' as const;
  readonly maxMessageBytes = undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  private constructor(private readonly worker: Worker) {
    super();
    worker.on('message', (message: WorkerReply) => this.settle(message));
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => this.failAll(new DatabaseUnavailableError('embedded database worker exited')));
  }

  static async open(options: EmbeddedOptions = {}): Promise<EmbeddedDatabase> {
    const worker = new Worker(join(__dirname, 'pglite.worker.cjs'), { workerData: options });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: WorkerReply) => {
        if (message.ready === undefined) return;
        worker.off('message', onMessage);
        if (message.ready) resolve();
        else
          reject(
            new EmbeddedDatabaseError(message.error ?? { message: 'embedded database failed to start' }),
          );
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
    return new EmbeddedDatabase(worker);
  }

  query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
    return this.call<QueryResult<T>>({ op: 'query', sql, params });
  }

  async exec(sql: string): Promise<void> {
    await this.call({ op: 'exec', sql });
  }

  async transaction<T>(fn: (tx: TransactionScope) => Promise<T>): Promise<T> {
    const tx = this.nextId++;
    await this.call({ op: 'begin', tx });
    const scoped: TransactionScope = {
      query: <R>(sql: string, params: unknown[] = []) =>
        this.call<QueryResult<R>>({ op: 'query', sql, params, tx }),
      exec: async (sql: string) => {
        await this.call({ op: 'exec', sql, tx });
      },
    };
    let value: T;
    try {
      value = await fn(scoped);
    } catch (error) {
      await this.call({ op: 'rollback', tx });
      throw error;
    }
    await this.call({ op: 'commit', tx });
    return value;
  }

  /** The whole data directory as a gzipped tarball, to seed other instances. */
  async dump(): Promise<Buffer> {
    const bytes = await this.call<Uint8Array>({ op: 'dump' });
    return Buffer.from(bytes);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.call({ op: 'close' }).catch(() => undefined);
    this.closed = true;
    await this.worker.terminate();
  }

  private call<T>(message: Record<string, unknown>): Promise<T> {
    if (this.closed) return Promise.reject(new DatabaseUnavailableError('embedded database is closed'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  private settle(message: WorkerReply): void {
    if (message.id === undefined) return;
    const waiter = this.pending.get(message.id);
    if (!waiter) return;
    this.pending.delete(message.id);
    if (message.ok) waiter.resolve(message.result);
    else
      waiter.reject(
        new EmbeddedDatabaseError(message.error ?? { message: 'unknown embedded database error' }),
      );
  }

  private failAll(error: Error): void {
    this.closed = true;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}
