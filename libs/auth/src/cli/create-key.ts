import { parseArgs } from 'node:util';
import { AppConfig, loadConfig } from '@cw/config';
import { migrate, openDatabase } from '@cw/database';
import { ApiKeysRepository } from '../api-keys.repository';
import { ApiKeysService } from '../api-keys.service';
import { ROLES, Role } from '../principal';

/** `npm run keys:create -- --role admin --name ops` prints a new key once; only its hash is stored. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', default: 'admin' },
      name: { type: 'string', default: 'first admin' },
      site: { type: 'string' },
    },
  });
  const role = values.role as Role;
  if (!ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  if ((role === 'integration' || role === 'device') && !values.site)
    throw new Error(`--site is required for a ${role} key`);
  const db = await openDatabase(new AppConfig(loadConfig()));
  try {
    await migrate(db);
    const key = await new ApiKeysService(new ApiKeysRepository(db)).create({
      name: values.name,
      role,
      siteId: values.site ?? null,
    });
    console.log(`created ${role} key ${key.id}\n${key.token}\nStore it now: it is not shown again.`);
  } finally {
    await db.close();
  }
}

main().catch((error: Error) => {
  console.error(`keys:create failed: ${error.message}`);
  process.exit(1);
});
