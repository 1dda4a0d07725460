import 'reflect-metadata';
import { AppConfig, ConfigError, loadConfig } from '@cw/config';
import { createHttpApp } from '@cw/runtime';
import { probesOnly } from './probes-only';
import { WorkerAppModule } from './worker-app.module';
import { checkWorkerConfig } from './worker-topology';

async function main(): Promise<void> {
  const config = new AppConfig(loadConfig());
  checkWorkerConfig(config);
  const app = await createHttpApp(WorkerAppModule.register(config));
  app.use(probesOnly);
  await app.listen(config.get('PORT'));
}

main().catch((error: Error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
