import { loadConfig, AppConfig } from '@cw/config';
import { openDatabase } from '../database.factory';
import { migrate } from '../migrations/migration-runner';

async function main(): Promise<void> {
  const db = await openDatabase(new AppConfig(loadConfig()));
  try {
    const applied = await migrate(db);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
  } finally {
    await db.close();
  }
}

main().catch((error: Error) => {
  console.error(`migrate failed: ${error.message}`);
  process.exit(1);
});
