import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser } from 'playwright-core';
import { MqttClient } from 'mqtt';
import { EmbeddedDatabase } from '@cw/database';
import { SiteDocument, siteDocumentSchema } from '@cw/sites';
import { launchChromium } from '../support/browser';
import { connectPublisher } from '../support/mqtt-client';
import { openSeededDatabase } from '../support/seeded-database';
import { startPlatform, TestPlatform } from '../support/test-app';
import { uniqueId } from '../support/factories';

const ARTIFACTS = join(__dirname, '..', 'artifacts');

/**
 * The whole live path as a manager sees it: a presence sensor publishes over MQTT, ingest stores it, the occupancy
 * engine changes the room's state, socket.io pushes it, and the floor map in Chromium recolours that room.
 */
describe('live floor map, end to end', () => {
  let db: EmbeddedDatabase;
  let platform: TestPlatform;
  let browser: Browser;
  let sensor: MqttClient;
  let demo: SiteDocument;

  beforeAll(async () => {
    browser = await launchChromium();
    db = await openSeededDatabase();
    platform = await startPlatform(db, { INGEST_FLUSH_MS: '10' });
    demo = siteDocumentSchema.parse(
      JSON.parse(
        readFileSync(join(__dirname, '..', '..', 'simulators', 'scenarios', 'demo-site.json'), 'utf8'),
      ),
    );
    await platform.putSite('demo', demo);
    sensor = await connectPublisher(platform.mqtt.url, await platform.createKey('device', 'demo'));
    mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await sensor?.endAsync(true);
    await browser?.close();
    await platform?.close();
    await db?.close();
  });

  it('draws every resource of the ground floor and recolours the room a presence event comes from', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const key = await platform.createKey('manager', 'demo');
    await page.goto(`${platform.url}/#key=${key}&site=demo`);
    const groundFloor = demo.floors.find((f) => f.id === 'f0')!;
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-resource]').length === n,
      groundFloor.resources.length,
    );
    const drawn = await page.$$eval('[data-resource]', (nodes) =>
      nodes.map((n) => n.getAttribute('data-resource')),
    );
    expect(drawn.sort()).toEqual(groundFloor.resources.map((r) => r.id).sort());
    // The snapshot from socket.io colours the map once joined.
    await page.waitForSelector('[data-resource="boreal"][data-state="free"]', { timeout: 10_000 });

    await sensor.publishAsync(
      'cw/demo/sensor/pir-boreal',
      JSON.stringify({ id: uniqueId('p'), ts: new Date().toISOString(), kind: 'presence', value: 1 }),
      { qos: 1 },
    );
    await page.waitForSelector('[data-resource="boreal"][data-state="occupied"]', { timeout: 10_000 });
    // Only that room changed.
    const occupied = await page.$$eval('[data-resource][data-state="occupied"]', (nodes) =>
      nodes.map((n) => n.getAttribute('data-resource')),
    );
    expect(occupied).toEqual(['boreal']);
    await page.waitForTimeout(600); // let the fill's colour transition finish for the screenshot
    await page.screenshot({ path: join(ARTIFACTS, 'live-floor-map.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
