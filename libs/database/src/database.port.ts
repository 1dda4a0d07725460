export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

/** What repositories need from a connection: parameterised queries. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
}

/** Inside a transaction: queries plus multi-statement SQL (migrations). */
export interface TransactionScope extends Queryable {
  exec(sql: string): Promise<void>;
}

/**
 * The one query port of the platform. Two adapters implement it: `pg` against a TimescaleDB server and the
 * embedded TimescaleDB (PGlite) running in a worker thread. Repositories depend on this class only.
 */
export abstract class Database implements Queryable {
  abstract readonly kind: 'embedded' | 'server';
  /** Largest single wire message this connection can carry, when it has a limit (pglite-socket: 64 KiB). */
  abstract readonly maxMessageBytes: number | undefined;
  abstract query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Runs `fn` inside BEGIN/COMMIT; any throw rolls back and is rethrown. */
  abstract transaction<T>(fn: (tx: TransactionScope) => Promise<T>): Promise<T>;
  /** Multi-statement SQL without parameters (migrations). */
  abstract exec(sql: string): Promise<void>;
  abstract close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}
