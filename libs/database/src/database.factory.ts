import { resolve } from 'node:path';
import { AppConfig } from '@cw/config';
import { Database } from './database.port';
import { PgDatabase } from './pg/pg.adapter';
import { EmbeddedDatabase } from './pglite/embedded.adapter';

/** `DATABASE_URL` set: a TimescaleDB server over `pg`; unset: the embedded TimescaleDB under `DATA_DIR`. */
export async function openDatabase(config: AppConfig): Promise<Database> {
  const url = config.get('DATABASE_URL');
  if (url) {
    const limitKb = config.get('DATABASE_MAX_MESSAGE_KB');
    return new PgDatabase({
      connectionString: url,
      poolMax: config.get('DATABASE_POOL_MAX'),
      maxMessageBytes: limitKb === undefined ? undefined : limitKb * 1024,
    });
  }
  return EmbeddedDatabase.open({ dataDir: resolve(config.get('DATA_DIR'), 'pg') });
}
