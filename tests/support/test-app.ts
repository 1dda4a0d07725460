import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { ApiAppModule } from '../../apps/api/src/api-app.module';
import { ApiKeysService, Role } from '@cw/auth';
import { AppConfig, Config, loadConfig } from '@cw/config';
import { Database } from '@cw/database';
import { MqttTransport } from '@cw/mqtt';
import { configureHttpApp } from '@cw/runtime';
import { SiteDocumentInput, siteDocumentSchema, SitesService } from '@cw/sites';

export const ADMIN_TOKEN = 'test-admin-key-0123456789abcdef';

export interface TestPlatform {
  app: INestApplication;
  db: Database;
  url: string;
  mqtt: MqttTransport;
  createKey(role: Role, siteId: string | null): Promise<string>;
  putSite(siteId: string, document: SiteDocumentInput): Promise<void>;
  close(): Promise<void>;
}

/**
 * The api app as `npm start` composes it (embedded broker on a free port, ingest, sites, auth), over a database
 * the test owns. Config comes from the overrides only, never from the developer's environment.
 */
export async function startPlatform(
  db: Database,
  overrides: Partial<Record<keyof Config, string>> = {},
): Promise<TestPlatform> {
  const config = new AppConfig(
    loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      MQTT_PORT: '0',
      PORT: '0',
      ADMIN_API_KEY: ADMIN_TOKEN,
      ...overrides,
    }),
  );
  const moduleRef = await Test.createTestingModule({ imports: [ApiAppModule.register(config)] })
    .overrideProvider(Database)
    .useValue(db)
    .compile();
  const app = moduleRef.createNestApplication({ bodyParser: false });
  configureHttpApp(app);
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as Server;
  const port = (server.address() as AddressInfo).port;
  const keys = app.get(ApiKeysService);
  return {
    app,
    db,
    url: `http://127.0.0.1:${port}`,
    mqtt: app.get(MqttTransport),
    createKey: async (role, siteId) => (await keys.create({ name: `test ${role}`, role, siteId })).token,
    putSite: async (siteId, document) => {
      await app.get(SitesService).putSite(siteId, siteDocumentSchema.parse(document));
    },
    close: () => app.close(),
  };
}
