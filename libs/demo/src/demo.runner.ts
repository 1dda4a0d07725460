import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiKeysService } from '@cw/auth';
import { MqttTransport } from '@cw/mqtt';
import { siteDocumentSchema, SitesService } from '@cw/sites';
import { startDemoSimulator } from '@cw/simulators';

export const DEMO_SITE_ID = 'demo';
const DEMO_SITE_FILE = join(__dirname, '..', '..', '..', 'simulators', 'scenarios', 'demo-site.json');

export interface DemoHandle {
  siteId: string;
  /** A manager key for the dashboard, minted at each start and printed in the URL. */
  dashboardKey: string;
}

/**
 * DEMO=on: the demo site is (re)loaded from its file, and the simulator feeds it through the broker with its own
 * integration key, exactly as real devices would; nothing reaches the platform by a side door.
 */
@Injectable()
export class DemoRunner implements OnApplicationShutdown {
  private readonly logger = new Logger(DemoRunner.name);
  private simulator: { stop(): Promise<void> } | undefined;

  constructor(
    private readonly sites: SitesService,
    private readonly keys: ApiKeysService,
    private readonly mqtt: MqttTransport,
  ) {}

  async start(): Promise<DemoHandle> {
    const document = siteDocumentSchema.parse(JSON.parse(readFileSync(DEMO_SITE_FILE, 'utf8')));
    await this.sites.putSite(DEMO_SITE_ID, document);
    const simulatorKey = await this.keys.create({
      id: 'demo-simulator',
      name: 'demo simulator',
      role: 'integration',
      siteId: DEMO_SITE_ID,
    });
    const dashboard = await this.keys.create({
      id: 'demo-dashboard',
      name: 'demo dashboard',
      role: 'manager',
      siteId: DEMO_SITE_ID,
    });
    this.simulator = await startDemoSimulator({
      mqttUrl: this.mqtt.url,
      token: simulatorKey.token,
      siteId: DEMO_SITE_ID,
      site: document,
    });
    this.logger.log(`demo site "${DEMO_SITE_ID}" loaded; simulator publishing to ${this.mqtt.url}`);
    return { siteId: DEMO_SITE_ID, dashboardKey: dashboard.token };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.simulator?.stop();
    this.simulator = undefined;
  }
}
