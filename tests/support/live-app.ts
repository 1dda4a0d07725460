import { DynamicModule, Global, INestApplication, Module } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import type { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { io, Socket as ClientSocket } from 'socket.io-client';
import { ApiKeysService, AuthModule, Role } from '@cw/auth';
import { ErrorFilter } from '@cw/common';
import { AppConfig, ConfigModule, loadConfig } from '@cw/config';
import { Database } from '@cw/database';
import { DashboardsModule } from '@cw/dashboards';
import type { LiveClientEvents, LiveServerEvents } from '@cw/events';
import { LivePublisher, LiveSnapshotSource, RealtimeCoreModule, RealtimeModule } from '@cw/realtime';
import { ClockModule } from '@cw/runtime';
import { SiteDocumentInput, siteDocumentSchema, SitesModule, SitesService } from '@cw/sites';

@Global()
@Module({})
class LiveTestDatabaseModule {
  static of(db: Database): DynamicModule {
    return {
      module: LiveTestDatabaseModule,
      providers: [{ provide: Database, useValue: db }],
      exports: [Database],
    };
  }
}

export interface LiveAppOptions {
  snapshotSource: LiveSnapshotSource;
  /** Selects the socket.io Redis adapter, as REDIS_URL does in production. */
  redisUrl?: string;
  /** Also serve the floor map pages. */
  dashboards?: boolean;
}

export interface LiveApp {
  app: INestApplication;
  url: string;
  publisher: LivePublisher;
  createKey(role: Role, siteId: string | null): Promise<string>;
  putSite(siteId: string, document: SiteDocumentInput): Promise<void>;
  close(): Promise<void>;
}

/** Config from the arguments only, never from the developer's environment (a stray REDIS_URL must not leak in). */
const testConfig = (redisUrl?: string) =>
  ConfigModule.fromConfig(
    new AppConfig(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: '0', REDIS_URL: redisUrl })),
  );

/**
 * The api's live surface (auth, sites, `/live`, optionally the dashboards) over a database the test owns, listening
 * on a free loopback port. Composed here because ApiAppModule does not include realtime yet.
 */
export async function startLiveApp(db: Database, options: LiveAppOptions): Promise<LiveApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      testConfig(options.redisUrl),
      ClockModule,
      LiveTestDatabaseModule.of(db),
      AuthModule,
      SitesModule,
      RealtimeModule.forRoot({ snapshotSource: { useValue: options.snapshotSource } }),
      ...(options.dashboards ? [DashboardsModule] : []),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.useGlobalFilters(new ErrorFilter());
  await app.listen(0, '127.0.0.1');
  const port = ((app.getHttpServer() as Server).address() as AddressInfo).port;
  const keys = app.get(ApiKeysService);
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    publisher: app.get(LivePublisher),
    createKey: async (role, siteId) => (await keys.create({ name: `test ${role}`, role, siteId })).token,
    putSite: async (siteId, document) => {
      await app.get(SitesService).putSite(siteId, siteDocumentSchema.parse(document));
    },
    close: () => app.close(),
  };
}

/** A process with the publisher and no HTTP server, as a worker is composed. */
export async function startPublisherOnly(
  db: Database,
  redisUrl?: string,
): Promise<{ publisher: LivePublisher; close(): Promise<void> }> {
  const moduleRef: TestingModule = await Test.createTestingModule({
    imports: [testConfig(redisUrl), LiveTestDatabaseModule.of(db), RealtimeCoreModule],
  }).compile();
  moduleRef.useLogger(false);
  await moduleRef.init();
  return { publisher: moduleRef.get(LivePublisher), close: () => moduleRef.close() };
}

export type LiveClient = ClientSocket<LiveServerEvents, LiveClientEvents>;

/** A `/live` client; resolves once connected, rejects with the server's connect_error. */
export function connectLive(
  url: string,
  credentials: { token?: string; header?: string } = {},
): Promise<LiveClient> {
  const client: LiveClient = io(`${url}/live`, {
    auth: credentials.token === undefined ? {} : { token: credentials.token },
    extraHeaders: credentials.header ? { authorization: credentials.header } : undefined,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve(client));
    client.once('connect_error', (error) => {
      client.close();
      reject(error);
    });
  });
}

export interface Received {
  event: string;
  payload: unknown;
}

/** Every server event a client gets, in arrival order, with a wait that fails loudly instead of hanging. */
export class LiveRecorder {
  readonly events: Received[] = [];

  constructor(client: LiveClient) {
    client.onAny((event: string, payload: unknown) => this.events.push({ event, payload }));
  }

  names(): string[] {
    return this.events.map((e) => e.event);
  }

  async until(predicate: (events: Received[]) => boolean, timeoutMs = 5000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.events)) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for live events; got ${JSON.stringify(this.names())}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.events;
  }
}
