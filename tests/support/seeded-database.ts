import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { EmbeddedDatabase, loadMigrations, migrate } from '@cw/database';

/**
 * Migrating takes seconds; loading a migrated copy takes about two. The copy is keyed by the migrations' checksums,
 * so editing a migration makes a new one, and every test file gets its own fresh, private database from it.
 */
export async function migratedSeedPath(): Promise<string> {
  const key = createHash('sha256')
    .update(
      loadMigrations()
        .map((m) => m.checksum)
        .join(','),
    )
    .digest('hex')
    .slice(0, 16);
  const path = join(tmpdir(), `cw-migrated-${key}.tar.gz`);
  if (existsSync(path)) return path;
  const db = await EmbeddedDatabase.open({});
  try {
    await migrate(db);
    const dump = await db.dump();
    const partial = `${path}.${process.pid}.partial`;
    writeFileSync(partial, dump);
    renameSync(partial, path);
  } finally {
    await db.close();
  }
  return path;
}

/** A fresh in-memory TimescaleDB with every migration applied. */
export async function openSeededDatabase(): Promise<EmbeddedDatabase> {
  return EmbeddedDatabase.open({ loadDataDir: await migratedSeedPath() });
}
