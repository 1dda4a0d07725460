import 'reflect-metadata';
import { AppConfig, ConfigError, loadConfig } from '@cw/config';
import { DemoRunner } from '@cw/demo';
import { MqttTransport } from '@cw/mqtt';
import { createHttpApp } from '@cw/runtime';
import { ApiAppModule } from './api-app.module';

async function main(): Promise<void> {
  const config = new AppConfig(loadConfig());
  const app = await createHttpApp(ApiAppModule.register(config), { docs: true });
  await app.listen(config.get('PORT'));
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  const mode = config.embeddedDatabase ? `embedded (data in ${config.get('DATA_DIR')})` : 'production';
  console.log(
    `\nCoworking platform up on ${url} [${mode}], MQTT at ${app.get(MqttTransport).url}, API docs at ${url}/docs`,
  );
  if (config.get('DEMO')) {
    const demo = await app.get(DemoRunner).start();
    console.log(`Demo site "${demo.siteId}" is live: open ${url}/#key=${demo.dashboardKey}\n`);
  }
}

main().catch((error: Error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
