import 'reflect-metadata';
import { AppConfig, ConfigError, loadConfig } from '@cw/config';
import { createHttpApp } from '@cw/runtime';
import { IngestAppModule } from './ingest-app.module';

async function main(): Promise<void> {
  const config = new AppConfig(loadConfig());
  if (config.embeddedDatabase || config.embeddedBroker) {
    throw new ConfigError(
      'apps/ingest runs in the production topology: set DATABASE_URL and MQTT_URL (npm start runs everything in one process)',
    );
  }
  const app = await createHttpApp(IngestAppModule.register(config));
  await app.listen(config.get('PORT'));
}

main().catch((error: Error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
