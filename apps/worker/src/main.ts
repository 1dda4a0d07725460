import 'reflect-metadata';
import { AppConfig, ConfigError, loadConfig } from '@cw/config';
import { createHttpApp } from '@cw/runtime';
import { WorkerAppModule } from './worker-app.module';

async function main(): Promise<void> {
  const config = new AppConfig(loadConfig());
  if (config.embeddedDatabase) {
    throw new ConfigError(
      'apps/worker runs in the production topology: set DATABASE_URL (npm start runs everything in one process)',
    );
  }
  const app = await createHttpApp(WorkerAppModule.register(config));
  await app.listen(config.get('PORT'));
}

main().catch((error: Error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
