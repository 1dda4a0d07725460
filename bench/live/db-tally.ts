import { performance } from 'node:perf_hooks';
import { Database, QueryResult, TransactionScope } from '@cw/database';
import { round } from '../ingest/util';

/**
 * Where the database time goes, seen from the app's side of the port: the bench wraps `query` and `transaction` of
 * the database instance it hands to the app (nothing in the app changes). The embedded database runs one statement
 * at a time, first come first served, and an open transaction holds it until COMMIT, so a query's time here is its
 * wait in that queue plus its execution.
 */
export class DbTally {
  private kinds = new Map<string, { n: number; ms: number; max: number }>();
  private tx = { n: 0, waitMs: 0, heldMs: 0, heldMax: 0, statements: 0 };
  private inFlight = 0;
  private inFlightMax = 0;
  private t0 = performance.now();

  constructor(db: Database) {
    const query = db.query.bind(db);
    const transaction = db.transaction.bind(db);
    db.query = <T>(sql: string, params?: unknown[]) => this.time(sql, () => query<T>(sql, params));
    db.transaction = <T>(fn: (tx: TransactionScope) => Promise<T>): Promise<T> => {
      const called = performance.now();
      let locked = 0;
      return this.count(() =>
        transaction(async (scope) => {
          locked = performance.now();
          let statements = 0;
          const timed: TransactionScope = {
            query: <R>(sql: string, params?: unknown[]): Promise<QueryResult<R>> => {
              statements++;
              return this.time(`tx ${sql}`, () => scope.query<R>(sql, params), false);
            },
            exec: (sql: string) => scope.exec(sql),
          };
          try {
            return await fn(timed);
          } finally {
            this.tx.statements += statements;
          }
        }),
      ).finally(() => {
        const end = performance.now();
        this.tx.n++;
        this.tx.waitMs += locked ? locked - called : end - called;
        if (locked) {
          this.tx.heldMs += end - locked;
          this.tx.heldMax = Math.max(this.tx.heldMax, end - locked);
        }
      });
    };
  }

  /** Starts a new window. */
  reset(): void {
    this.kinds = new Map();
    this.tx = { n: 0, waitMs: 0, heldMs: 0, heldMax: 0, statements: 0 };
    this.inFlightMax = this.inFlight;
    this.t0 = performance.now();
  }

  report(top = 12) {
    const seconds = (performance.now() - this.t0) / 1000;
    const kinds = [...this.kinds]
      .sort((a, b) => b[1].n - a[1].n)
      .slice(0, top)
      .map(([kind, k]) => ({
        kind,
        per_s: round(k.n / seconds, 1),
        mean_ms: round(k.ms / k.n, 1),
        max_ms: round(k.max),
      }));
    const total = [...this.kinds.values()].reduce((sum, k) => sum + k.n, 0);
    return {
      window_s: round(seconds, 1),
      statements_per_s: round(total / seconds),
      in_flight_max: this.inFlightMax,
      transactions: {
        per_s: round(this.tx.n / seconds, 1),
        mean_wait_for_lock_ms: this.tx.n ? round(this.tx.waitMs / this.tx.n, 1) : null,
        mean_held_ms: this.tx.n ? round(this.tx.heldMs / this.tx.n, 1) : null,
        max_held_ms: round(this.tx.heldMax),
        held_share_of_window: round(this.tx.heldMs / 1000 / seconds, 2),
        statements_per_tx: this.tx.n ? round(this.tx.statements / this.tx.n, 1) : null,
      },
      by_kind: kinds,
    };
  }

  private count<T>(run: () => Promise<T>): Promise<T> {
    this.inFlight++;
    this.inFlightMax = Math.max(this.inFlightMax, this.inFlight);
    return run().finally(() => this.inFlight--);
  }

  private time<T>(sql: string, run: () => Promise<T>, counted = true): Promise<T> {
    const kind = kindOf(sql);
    const t0 = performance.now();
    return (counted ? this.count(run) : run()).finally(() => {
      const ms = performance.now() - t0;
      const k = this.kinds.get(kind) ?? { n: 0, ms: 0, max: 0 };
      k.n++;
      k.ms += ms;
      k.max = Math.max(k.max, ms);
      this.kinds.set(kind, k);
    });
  }
}

/** `SELECT bookings`, `tx UPDATE webhook_deliveries`...: the verb and the first table a statement names. */
function kindOf(sql: string): string {
  const text = sql.replace(/\s+/g, ' ').trim();
  const inTx = text.startsWith('tx ');
  const body = inTx ? text.slice(3) : text;
  const verb = (/^\w+/.exec(body)?.[0] ?? '?').toUpperCase();
  const table =
    /\b(?:INTO|UPDATE|FROM)\s+([a-z_][a-z0-9_]*)/i.exec(body)?.[1] ?? body.slice(verb.length + 1, 30);
  return `${inTx ? 'tx ' : ''}${verb} ${table}`;
}
