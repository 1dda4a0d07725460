import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { Database } from '@cw/database';
import type { OccupancySnapshot, ResourceState, ResourceStateName } from '@cw/events';
import { LiveSnapshotSource } from '@cw/realtime';
import { siteDocumentSchema } from '@cw/sites';
import { launchChromium } from '../support/browser';
import { LiveApp, startLiveApp } from '../support/live-app';
import { openSeededDatabase } from '../support/seeded-database';

const ARTIFACTS = join(__dirname, '..', 'artifacts');
const SITE = 'demo';
const demo = siteDocumentSchema.parse(
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'simulators', 'scenarios', 'demo-site.json'), 'utf8')),
);
const ground = demo.floors.find((f) => f.id === 'f0')!;
const first = demo.floors.find((f) => f.id === 'f1')!;
const SINCE = '2025-03-03T09:00:00.000Z';

/** A lived-in morning, so the screenshots show every colour; `boreal` starts free and is where the test acts. */
const MORNING: Record<string, ResourceStateName> = {
  atlas: 'booked',
  cierzo: 'awaiting_checkin',
  'booth-0-1': 'occupied',
  'desk-0-02': 'occupied',
  'desk-0-03': 'occupied',
  'desk-0-06': 'occupied',
  'desk-0-11': 'released',
  delta: 'occupied',
  gaia: 'booked',
  agora: 'awaiting_checkin',
};

const snapshots: LiveSnapshotSource = {
  snapshot: (siteId: string): Promise<OccupancySnapshot> =>
    Promise.resolve({
      siteId,
      at: SINCE,
      resources: demo.floors.flatMap((floor) =>
        floor.resources.map((resource): ResourceState => ({
          siteId,
          resourceId: resource.id,
          state: MORNING[resource.id] ?? 'free',
          occupancy: MORNING[resource.id] === 'occupied' ? 1 : null,
          bookingId: null,
          since: SINCE,
        })),
      ),
    }),
};

describe('live floor map in Chromium (dashboards + /live)', () => {
  let db: Database;
  let live: LiveApp;
  let browser: Browser;
  let key: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
    db = await openSeededDatabase();
    live = await startLiveApp(db, { snapshotSource: snapshots, dashboards: true });
    await live.putSite(SITE, demo);
    key = await live.createKey('manager', SITE);
  });

  afterAll(async () => {
    await browser?.close();
    await live?.close();
    await db?.close();
  });

  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  const open = async (
    options: BrowserContextOptions,
    fragment = `#key=${key}&site=${SITE}`,
  ): Promise<Page> => {
    // A fixed locale, so times read the same on every machine (the page follows the browser's).
    const context = await browser.newContext({ locale: 'en-GB', ...options });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await page.goto(`${live.url}/${fragment}`);
    return page;
  };
  const live$ = (page: Page) => page.waitForSelector('#connection[data-status="live"]', { timeout: 10_000 });
  const legendCount = async (page: Page, state: string) =>
    Number(await page.textContent(`[data-legend="${state}"] .count`));

  it('draws every resource of the ground floor in its snapshot state, then follows live events', async () => {
    const page = await open({ viewport: { width: 1440, height: 900 } });
    await live$(page);
    expect(page.url()).not.toContain(key);

    const drawn = await page.$$eval('#map [data-resource]', (nodes) =>
      nodes.map((node) => node.getAttribute('data-resource')),
    );
    expect(drawn.sort()).toEqual(ground.resources.map((r) => r.id).sort());
    expect(await page.getAttribute('[data-resource="atlas"]', 'data-state')).toBe('booked');
    expect(await page.getAttribute('[data-resource="boreal"]', 'data-state')).toBe('free');
    const occupiedBefore = await legendCount(page, 'occupied');
    const freeBefore = await legendCount(page, 'free');
    expect(occupiedBefore).toBe(ground.resources.filter((r) => MORNING[r.id] === 'occupied').length);

    live.publisher.occupancy({
      siteId: SITE,
      resourceId: 'boreal',
      state: 'occupied',
      previous: 'free',
      occupancy: 4,
      bookingId: null,
      since: '2025-03-03T09:05:00.000Z',
    });
    await page.waitForSelector('[data-resource="boreal"][data-state="occupied"]', { timeout: 5000 });
    expect(await legendCount(page, 'occupied')).toBe(occupiedBefore + 1);
    expect(await legendCount(page, 'free')).toBe(freeBefore - 1);
    expect(await page.getAttribute('[data-resource="boreal"]', 'aria-label')).toBe(
      'Boreal, meeting room: Occupied · 4/6',
    );

    live.publisher.release({
      releaseId: 'rel-b-42',
      siteId: SITE,
      bookingId: 'b-42',
      resourceId: 'cierzo',
      memberId: 'm-7',
      reason: 'no_show',
      bookingStart: '2025-03-03T09:00:00.000Z',
      bookingEnd: '2025-03-03T10:00:00.000Z',
      decidedAt: '2025-03-03T09:15:00.000Z',
      releasedAt: '2025-03-03T09:15:01.000Z',
    });
    live.publisher.alert({
      siteId: SITE,
      kind: 'device_offline',
      severity: 'warning',
      message: 'Presence sensor of Atlas has been silent for 30 minutes',
      resourceId: 'atlas',
      at: '2025-03-03T09:31:00.000Z',
    });
    await page.waitForFunction(() => document.querySelectorAll('#feed .feed-item').length === 2);
    const feed = await page.$$eval('#feed .feed-item', (items) =>
      items.map((item) => [item.getAttribute('data-kind'), item.querySelector('.feed-title')?.textContent]),
    );
    expect(feed).toEqual([
      ['alert', 'Presence sensor of Atlas has been silent for 30 minutes'],
      ['release', 'Cierzo released'],
    ]);
    // Times are shown in the site's zone (Europe/Madrid, UTC+1 in March).
    expect(await page.textContent('#feed .feed-item[data-kind="release"] .feed-meta')).toContain(
      '10:00–11:00',
    );

    await page.waitForTimeout(1300); // let the change highlight fade before the picture
    await page.screenshot({ path: join(ARTIFACTS, 'floor-map.png'), fullPage: true });

    await page.click('[role="tab"][data-floor="f1"]');
    expect(await page.locator('#map [data-resource]').count()).toBe(first.resources.length);
    expect(await page.getAttribute('[data-resource="gaia"]', 'data-state')).toBe('booked');
    expect(page.url()).toContain('floor=f1');
    await page.screenshot({ path: join(ARTIFACTS, 'floor-map-first-floor.png'), fullPage: true });
    await page.context().close();
  });

  it('fits a phone: the plan takes the width, the panels stack below, nothing scrolls sideways', async () => {
    const page = await open({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true });
    await live$(page);
    const layout = await page.evaluate(() => {
      const box = (selector: string) => document.querySelector(selector)!.getBoundingClientRect();
      return {
        scrollWidth: document.documentElement.scrollWidth,
        viewport: window.innerWidth,
        plan: box('#map svg').toJSON() as DOMRect,
        legend: box('#legend').toJSON() as DOMRect,
        feed: box('#feed-title').toJSON() as DOMRect,
      };
    });
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.viewport);
    expect(layout.plan.width).toBeGreaterThan(layout.viewport * 0.85);
    expect(layout.plan.right).toBeLessThanOrEqual(layout.viewport);
    expect(layout.legend.top).toBeGreaterThan(layout.plan.bottom);
    expect(layout.feed.top).toBeGreaterThan(layout.legend.bottom);
    expect(await page.locator('#map [data-resource]').count()).toBe(ground.resources.length);
    await page.waitForTimeout(600); // the snapshot's colours fade in
    await page.screenshot({ path: join(ARTIFACTS, 'floor-map-phone.png'), fullPage: true });
    await page.context().close();
  });

  it('asks for a key when it has none, says when one is refused, and remembers a good one', async () => {
    const page = await open({ viewport: { width: 1024, height: 768 } }, '');
    await page.waitForSelector('#key-form', { state: 'visible' });
    await page.screenshot({ path: join(ARTIFACTS, 'floor-map-key.png') });
    await page.fill('#key-input', 'cwk_wrong');
    await page.click('#key-form button[type="submit"]');
    await page.waitForSelector('#key-error', { state: 'visible' });
    expect(await page.textContent('#key-error')).toContain('refused');
    // Chromium logs the refused request itself; that one is expected here.
    const refused = pageErrors.findIndex((e) => e.includes('status of 401'));
    expect(refused).toBeGreaterThanOrEqual(0);
    pageErrors.splice(refused, 1);
    await page.fill('#key-input', key);
    await page.click('#key-form button[type="submit"]');
    await live$(page);
    await page.reload();
    await live$(page);
    expect(await page.locator('#map [data-resource]').count()).toBe(ground.resources.length);
    await page.context().close();
  });

  it('serves the pages without a key, with content types, and nothing outside its folder', async () => {
    const get = (path: string) => fetch(`${live.url}${path}`);
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await index.text()).toContain('<title>Live floor map');
    expect((await get('/assets/app.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await get('/assets/style.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    const client = await get('/socket.io/socket.io.esm.min.js');
    expect(client.status).toBe(200);
    for (const path of ['/assets/nope.js', '/assets/..%2F..%2Fpackage.json', '/assets/%2E%2Eindex.html']) {
      const response = await get(path);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: 'not_found', message: expect.any(String) });
    }
    const etag = index.headers.get('etag')!;
    expect((await fetch(`${live.url}/`, { headers: { 'if-none-match': etag } })).status).toBe(304);
  });
});
