import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadMigrations, migrate, Migration, PgDatabase } from '@cw/database';
import { resolveService, ResolvedService } from './service-discovery';

/**
 * The relational core on a plain PostgreSQL server (the loopback one has no TimescaleDB), where transactions run
 * truly in parallel: the embedded database runs one transaction at a time, so a race there only shows idempotency.
 *
 * Hypertables become ordinary tables through stand-ins for the TimescaleDB functions the migrations call; the
 * migrations that need TimescaleDB itself are left out, each with its reason. Anything else that fails to apply
 * fails the test file.
 */

/** Migrations that cannot run without TimescaleDB, by version, with why. */
export const TIMESCALE_ONLY_MIGRATIONS: Readonly<Record<string, string>> = {
  '0010':
    'loads the TimescaleDB TSL module, creates continuous aggregates (CREATE MATERIALIZED VIEW ... WITH ' +
    '(timescaledb.continuous)) and compression and retention policies; nothing in it is relational core',
};

/**
 * Same names and argument names as TimescaleDB's, so the migrations' named-argument calls resolve; the table stays
 * an ordinary table. A wrong time column still fails, as it would on TimescaleDB.
 */
const TIMESCALE_STAND_INS = `
CREATE FUNCTION create_hypertable(
  relation regclass,
  time_column_name name,
  partitioning_column name DEFAULT NULL,
  number_partitions integer DEFAULT NULL,
  associated_schema_name name DEFAULT NULL,
  associated_table_prefix name DEFAULT NULL,
  chunk_time_interval interval DEFAULT NULL,
  create_default_indexes boolean DEFAULT true,
  if_not_exists boolean DEFAULT false
) RETURNS TABLE (hypertable_id integer, schema_name name, table_name name, created boolean)
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM pg_attribute
   WHERE attrelid = relation AND attname = time_column_name AND NOT attisdropped;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'column "%" does not exist in %', time_column_name, relation;
  END IF;
  RETURN QUERY
    SELECT 0, n.nspname, c.relname, false
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.oid = relation;
END $$;
`;

export interface NativePostgres {
  db: PgDatabase;
  /** The fresh database's URL, for a second pool or a psql session. */
  url: string;
  name: string;
  /** Migrations applied and left out, by name. */
  applied: string[];
  skipped: string[];
  /** Closes the pool and drops the database. */
  close(): Promise<void>;
}

export interface NativePostgresOptions {
  /** Pool size: enough connections for every racer plus the reads around them. */
  poolMax?: number;
}

const PREFIX = 'cw_native_';
// A database left behind by a run that was killed is dropped by a later run once it is clearly abandoned.
const ABANDONED_AFTER_MS = 3_600_000;

function withDatabase(url: string, database: string): string {
  const target = new URL(url);
  target.pathname = `/${database}`;
  return target.toString();
}

async function adminQuery<T>(adminUrl: string, run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function dropAbandoned(client: Client): Promise<void> {
  const { rows } = await client.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname LIKE $1`,
    [`${PREFIX}%`],
  );
  const cutoff = Date.now() - ABANDONED_AFTER_MS;
  for (const { datname } of rows) {
    const createdAt = Number(datname.slice(PREFIX.length).split('_')[0]);
    if (Number.isFinite(createdAt) && createdAt < cutoff)
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
}

/** Splits the loader's list: what this server can apply and what needs TimescaleDB. */
export function nativeMigrations(all: Migration[] = loadMigrations()): {
  apply: Migration[];
  skip: Migration[];
} {
  const known = new Set(all.map((m) => m.version));
  const stale = Object.keys(TIMESCALE_ONLY_MIGRATIONS).filter((v) => !known.has(v));
  // A renumbered or deleted migration must not leave the list silently skipping something else.
  if (stale.length) throw new Error(`TIMESCALE_ONLY_MIGRATIONS names unknown versions: ${stale.join(', ')}`);
  return {
    apply: all.filter((m) => !(m.version in TIMESCALE_ONLY_MIGRATIONS)),
    skip: all.filter((m) => m.version in TIMESCALE_ONLY_MIGRATIONS),
  };
}

/**
 * A fresh, uniquely named database on the PostgreSQL server the tests are given (DATABASE_URL, else the loopback
 * server; never a silent skip, see service-discovery.ts), migrated as far as a server without TimescaleDB can be.
 */
export async function openNativePostgres(options: NativePostgresOptions = {}): Promise<NativePostgres> {
  const server: ResolvedService = await resolveService('postgres');
  const name = `${PREFIX}${Date.now()}_${randomBytes(4).toString('hex')}`;
  await adminQuery(server.url, async (client) => {
    await dropAbandoned(client);
    await client.query(`CREATE DATABASE "${name}"`);
  });
  const url = withDatabase(server.url, name);
  const db = new PgDatabase({ connectionString: url, poolMax: options.poolMax ?? 12 });
  const drop = async () => {
    await db.close();
    await adminQuery(server.url, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    await server.stop();
  };
  try {
    await db.exec('CREATE EXTENSION IF NOT EXISTS btree_gist');
    // A TimescaleDB server (DATABASE_URL, or the container) whose template already holds the extension takes every
    // migration as it is; the stand-ins would only collide with the real functions there.
    const timescale = await db.query('SELECT 1 FROM pg_extension WHERE extname = $1', ['timescaledb']);
    if (timescale.rowCount === 0) await db.exec(TIMESCALE_STAND_INS);
    const { apply, skip } =
      timescale.rowCount === 0 ? nativeMigrations() : { apply: loadMigrations(), skip: [] };
    let applied: string[];
    try {
      applied = await migrate(db, apply);
    } catch (error) {
      throw new Error(`a migration failed on native PostgreSQL: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (applied.length !== apply.length)
      throw new Error(`expected ${apply.length} migrations applied, got ${applied.length}`);
    return { db, url, name, applied, skipped: skip.map((m) => m.name), close: drop };
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
}
