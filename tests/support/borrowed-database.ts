import { Database, QueryResult, TransactionScope } from '@cw/database';

/**
 * A database the test owns, lent to an app: the app's shutdown hook closes this view, not the database, so a test
 * can stop one app and start another over the same data (a restart).
 */
export class BorrowedDatabase extends Database {
  readonly kind: Database['kind'];
  readonly maxMessageBytes: number | undefined;

  constructor(private readonly inner: Database) {
    super();
    this.kind = inner.kind;
    this.maxMessageBytes = inner.maxMessageBytes;
  }

  query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
    return this.inner.query<T>(sql, params);
  }

  transaction<T>(fn: (tx: TransactionScope) => Promise<T>): Promise<T> {
    return this.inner.transaction(fn);
  }

  exec(sql: string): Promise<void> {
    return this.inner.exec(sql);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
