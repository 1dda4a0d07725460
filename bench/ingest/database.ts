import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedDatabase, migrate } from '@cw/database';
import { migratedSeedPath } from '../../tests/support/seeded-database';

export type Storage = 'disk' | 'memory';

export const storageOf = (value: string | undefined): Storage => (value === 'memory' ? 'memory' : 'disk');

/** A fresh temporary data directory; the caller removes it. */
export const tempDataDir = (tag: string) => mkdtempSync(join(tmpdir(), `cw-bench-${tag}-`));

export const removeDir = (dir: string | undefined) => {
  if (dir) rmSync(dir, { recursive: true, force: true });
};

/**
 * The embedded database as the app runs it, started from the migrated seed. `disk` is what `npm start` does
 * (a data directory on disk, written with pwrite); `memory` keeps the whole database in the process's memory, as
 * the tests do, so its RSS grows with every row stored. Migrations run as at app boot (nothing to apply): without
 * it the first INSERT into a hypertable of a database loaded from a dump fails once.
 */
export async function openBenchDatabase(
  storage: Storage,
  tag: string,
): Promise<{ db: EmbeddedDatabase; dataDir?: string }> {
  const dataDir = storage === 'disk' ? tempDataDir(tag) : undefined;
  try {
    const db = await EmbeddedDatabase.open({ dataDir, loadDataDir: await migratedSeedPath() });
    await migrate(db);
    return { db, dataDir };
  } catch (error) {
    removeDir(dataDir);
    throw error;
  }
}
