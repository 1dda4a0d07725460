import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import request from 'supertest';
import { EmbeddedDatabase } from '@cw/database';
import type { SiteKpis } from '@cw/kpi';
import type { BoardReport } from '@cw/reports';
import { launchChromium } from '../support/browser';
import { BorrowedDatabase } from '../support/borrowed-database';
import { openSeededDatabase } from '../support/seeded-database';
import { ADMIN_TOKEN, startPlatform, TestPlatform } from '../support/test-app';
import { seedReportFixture } from '../medium/reports-fixture';

const ARTIFACTS = join(__dirname, '..', 'artifacts');
const SITE = 'rep-e2e';
const CHARTS = [
  'utilisation-trend',
  'heatmap',
  'booked-vs-used',
  'no-shows',
  'revenue',
  'mrr',
  'churn',
  'at-risk',
];
const DESKTOP = { viewport: { width: 1440, height: 900 } };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/**
 * The board report page, the KPI page and the at-risk page in Debian's Chromium, against the api app over the
 * report fixture (March 2026): charts drawn by vega-embed under the pages' strict CSP, figures from the APIs.
 */
describe('report and KPI pages in Chromium', () => {
  let db: EmbeddedDatabase;
  let platform: TestPlatform;
  let browser: Browser;
  let key: string;
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
    db = await openSeededDatabase();
    platform = await startPlatform(new BorrowedDatabase(db));
    await seedReportFixture(db, platform, SITE);
    key = await platform.createKey('manager', SITE);
    await request(platform.url)
      .post(`/v1/sites/${SITE}/reports/2026-03`)
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .expect(201);
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
    await db?.close();
  });

  afterEach(() => {
    // Uncaught errors and console errors, CSP refusals included: a chart that needed eval would show up here.
    expect(problems.splice(0)).toEqual([]);
  });

  const open = async (path: string, options: BrowserContextOptions): Promise<Page> => {
    const context = await browser.newContext({ locale: 'en-GB', acceptDownloads: true, ...options });
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.goto(`${platform.url}${path}`);
    return page;
  };
  const reportPath = `/v1/sites/${SITE}/reports/2026-03.html`;
  const noSideScroll = (page: Page) =>
    page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

  it('draws the report page with every chart, from a key in the URL fragment', async () => {
    const page = await open(`${reportPath}#key=${key}`, DESKTOP);
    await page.waitForSelector('body[data-charts="drawn"]', { timeout: 30_000 });
    expect(page.url()).not.toContain(key);
    for (const id of CHARTS) {
      const marks = await page.$$eval(
        `#chart-${id} svg .mark-rect path, #chart-${id} svg .mark-line path,
        #chart-${id} svg .mark-symbol path`,
        (nodes) => nodes.length,
      );
      expect([id, marks > 0]).toEqual([id, true]);
    }
    const report = (
      await request(platform.url)
        .get(`/v1/sites/${SITE}/reports/2026-03`)
        .set('Authorization', `Bearer ${key}`)
    ).body.data as BoardReport;
    const utilisation = report.headline.find((h) => h.key === 'utilisation')!;
    expect(await page.textContent('[data-figure="utilisation"] .figure-value')).toBe(
      `${(utilisation.value! * 100).toFixed(1)}%`,
    );
    expect(await page.textContent('#risk-title + .table-wrap tbody')).toContain('Grace Hopper');

    // Interactive: a heatmap cell answers the pointer with a tooltip.
    const cell = page.locator('#chart-heatmap svg .mark-rect path').nth(24 * 1 + 10);
    await cell.hover();
    await page.waitForSelector('#vg-tooltip-element.visible', { timeout: 5000 });
    expect(await page.textContent('#vg-tooltip-element')).toContain('Utilisation');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-pdf')]);
    expect(download.suggestedFilename()).toBe(`board-report-${SITE}-2026-03.pdf`);
    await page.screenshot({ path: join(ARTIFACTS, 'report-page.png'), fullPage: true });
    await page.context().close();
  });

  it('fits a phone and asks again for a refused key', async () => {
    const page = await open(`${reportPath}#key=${key}`, PHONE);
    await page.waitForSelector('body[data-charts="drawn"]', { timeout: 30_000 });
    expect(await page.locator('.chart svg').count()).toBe(CHARTS.length);
    expect(await noSideScroll(page)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'report-page-phone.png'), fullPage: true });
    await page.context().close();

    const refused = await open(`${reportPath}#key=not-a-key`, DESKTOP);
    await refused.waitForSelector('#key-panel:not([hidden])');
    expect(await refused.textContent('#key-error')).toContain('refused');
    // The page's own request for the report answered 401; that is the expected console line, not a fault.
    expect(problems.splice(0).every((p) => p.includes('401'))).toBe(true);
    await refused.context().close();
  });

  it('shows the KPI page with the KPI API figures, its charts and table', async () => {
    const page = await open(`/kpis#key=${key}&site=${SITE}&period=month&date=2026-03-01`, DESKTOP);
    await page.waitForSelector('body[data-loaded="true"]', { timeout: 20_000 });
    await page.waitForSelector('#chart-heatmap[data-drawn] svg .mark-rect path');
    await page.waitForSelector('#chart-kinds[data-drawn] svg .mark-rect path');
    const kpis = (
      await request(platform.url)
        .get(`/v1/sites/${SITE}/kpis?period=month&date=2026-03-01`)
        .set('Authorization', `Bearer ${key}`)
    ).body as SiteKpis;
    expect(await page.textContent('[data-figure="utilisation"] .figure-value')).toBe(
      `${(kpis.site.utilisation.value! * 100).toFixed(1)}%`,
    );
    expect(await page.locator('#resources tr').count()).toBe(kpis.resources.length);
    expect(await page.textContent('#resources')).toContain('no presence sensor');
    expect(await page.getAttribute('#link-report', 'href')).toMatch(
      new RegExp(`^/v1/sites/${SITE}/reports/\\d{4}-\\d{2}\\.html$`),
    );
    await page.screenshot({ path: join(ARTIFACTS, 'kpi-page.png'), fullPage: true });

    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#download-csv')]);
    expect(csv.suggestedFilename()).toBe(`kpis-${SITE}-month-2026-03-01.csv`);
    await page.context().close();

    const phone = await open(`/kpis#key=${key}&site=${SITE}&period=month&date=2026-03-01`, PHONE);
    await phone.waitForSelector('#chart-heatmap[data-drawn] svg');
    expect(await noSideScroll(phone)).toBe(true);
    await phone.screenshot({ path: join(ARTIFACTS, 'kpi-page-phone.png'), fullPage: true });
    await phone.context().close();
  });

  it('lists members at risk with their factors, linked from the floor map header', async () => {
    const page = await open(`/at-risk#key=${key}&site=${SITE}`, DESKTOP);
    await page.waitForSelector('body[data-loaded="true"]', { timeout: 20_000 });
    await page.fill('#min', '0');
    await page.dispatchEvent('#min', 'change');
    await page.waitForSelector('#members tr[data-member]');
    const names = await page.$$eval('#members tr[data-member] td:first-child', (cells) =>
      cells.map((c) => c.textContent),
    );
    expect(names.sort()).toEqual(['Ada Lovelace', 'Grace Hopper']);
    expect(await page.textContent('#figures')).toContain('€350.00');
    await page.screenshot({ path: join(ARTIFACTS, 'at-risk-page.png'), fullPage: true });
    await page.context().close();

    const map = await open(`/#key=${key}&site=${SITE}`, DESKTOP);
    await map.waitForFunction(() =>
      document.getElementById('link-kpis')?.getAttribute('href')?.includes('#site='),
    );
    expect(await map.getAttribute('#link-kpis', 'href')).toBe(`/kpis#site=${SITE}`);
    expect(await map.getAttribute('#link-risk', 'href')).toBe(`/at-risk#site=${SITE}`);
    await map.context().close();
  });
});
