import { Pool, PoolClient, types } from 'pg';
import { Database, QueryResult, TransactionScope } from '../database.port';

// int8 and numeric arrive as strings from pg but as numbers from PGlite; casting in SQL keeps both paths equal,
// and parsing counts here keeps `count(*)` results numbers on both.
types.setTypeParser(types.builtins.INT8, (v) => Number(v));

export interface PgAdapterOptions {
  connectionString: string;
  poolMax: number;
  maxMessageBytes?: number;
}

export class PgDatabase extends Database {
  readonly kind = 'server' as const;
  readonly maxMessageBytes: number | undefined;
  private readonly pool: Pool;

  constructor(options: PgAdapterOptions) {
    super();
    this.maxMessageBytes = options.maxMessageBytes;
    this.pool = new Pool({
      connectionString: options.connectionString,
      max: options.poolMax,
      connectionTimeoutMillis: 5000,
    });
    // An idle client losing its server must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
    const result = await this.pool.query(sql, params);
    return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
  }

  async transaction<T>(fn: (tx: TransactionScope) => Promise<T>): Promise<T> {
    const client: PoolClient = await this.pool.connect();
    let broken: Error | undefined;
    // A connection lost mid-transaction is reported as an 'error' event on the checked-out client; without a
    // listener that event would crash the process instead of failing this transaction (which callers retry).
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    const tx: TransactionScope = {
      query: async <R>(sql: string, params: unknown[] = []) => {
        const result = await client.query(sql, params);
        return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
      },
      exec: async (sql: string) => {
        await client.query(sql);
      },
    };
    try {
      await client.query('BEGIN');
      const value = await fn(tx);
      await client.query('COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  private closing: Promise<void> | undefined;

  /** Idempotent: the app's shutdown hook and its owner may both close it. */
  close(): Promise<void> {
    this.closing ??= this.pool.end();
    return this.closing;
  }
}
