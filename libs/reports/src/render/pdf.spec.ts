import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBoardReport } from '../report.builder';
import { collectReportInputs } from '../report-inputs';
import { reportCharts } from '../charts/report-charts';
import { FixtureReportDataSource } from '../testing/report-fixtures';
import { expectedPageCount, renderPdf } from './pdf';
import { renderSvg } from './svg';

const SITE = { id: 's1', name: 'Test Space', timeZone: 'Europe/Madrid', currency: 'EUR' };

/** Pages as pdfkit writes them: one `/Type /Page` object each (the `/Pages` tree node does not match). */
const pagesIn = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;

describe('renderPdf', () => {
  it('writes the title, chart, table and at-risk pages it promises', async () => {
    const report = buildBoardReport(
      await collectReportInputs(
        new FixtureReportDataSource(),
        SITE,
        '2025-03',
        new Date('2025-04-01T08:00:00Z'),
      ),
    );
    const charts = await Promise.all(
      reportCharts(report).map(async (c) => ({ ...c, svg: await renderSvg(c.spec) })),
    );
    const { pdf, pages } = await renderPdf(report, charts);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(expectedPageCount(report, charts.length)).toBe(1 + 4 + 1 + 1);
    expect(pagesIn(pdf)).toBe(expectedPageCount(report, charts.length));
    expect(pages).toBe(pagesIn(pdf));
  });

  it('continues long tables on further pages', async () => {
    const report = buildBoardReport(
      await collectReportInputs(
        new FixtureReportDataSource(),
        SITE,
        '2025-03',
        new Date('2025-04-01T08:00:00Z'),
      ),
    );
    const many = Array.from({ length: 65 }, (_, i) => ({ ...report.perResource[0], resourceId: `r${i}` }));
    const long = {
      ...report,
      perResource: many,
      atRisk: { scoredOn: null, members: null, reason: 'not scored' },
    };
    const { pdf } = await renderPdf(long, []);
    expect(expectedPageCount(long, 0)).toBe(1 + 0 + 3 + 1);
    expect(pagesIn(pdf)).toBe(5);
  });
});

describe('renderPdf text outside Latin-1', () => {
  const SITE_NAME = 'Łódź – Αθήνα – Київ';
  const MEMBERS = ['Łukasz Żółkiewski', 'Αλέξανδρος Παππάς', 'Олександра Ковальчук', 'Zoë Ørsted-Šimić'];

  /**
   * The fixtures with the at-risk list renamed, so the names reach the table and the at-risk chart's axis. The names
   * stay under 23 characters: vega cuts a longer axis label with an ellipsis (labelLimit 180 px at 8 px a character).
   */
  class ScriptsDataSource extends FixtureReportDataSource {
    override async atRisk(siteId: string, asOf: string) {
      const snapshot = await super.atRisk(siteId, asOf);
      return {
        ...snapshot,
        members: snapshot.members!.map((m, i) => ({ ...m, name: MEMBERS[i] ?? m.name })),
      };
    }
  }

  /** pdftotext (poppler-utils) reads the PDF back as a reader's viewer would; one page, or all when none is given. */
  function textOf(pdf: Buffer, page?: number): string {
    const dir = mkdtempSync(join(tmpdir(), 'cw-pdf-text-'));
    try {
      const file = join(dir, 'report.pdf');
      writeFileSync(file, pdf);
      const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
      return execFileSync('pdftotext', ['-enc', 'UTF-8', ...range, file, '-'], { encoding: 'utf8' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('writes site and member names in Polish, Greek and Ukrainian so they read back exactly', async () => {
    const report = buildBoardReport(
      await collectReportInputs(
        new ScriptsDataSource(),
        { ...SITE, name: SITE_NAME },
        '2025-03',
        new Date('2025-04-01T08:00:00Z'),
      ),
    );
    const charts = await Promise.all(
      reportCharts(report).map(async (c) => ({ ...c, svg: await renderSvg(c.spec) })),
    );
    const { pdf, pages } = await renderPdf(report, charts);

    // Title page heading and the footer of every page carry the site name.
    const title = textOf(pdf, 1);
    expect(title).toContain(SITE_NAME);
    const all = textOf(pdf);
    expect(all.split(`${SITE_NAME} · March 2025 · page`)).toHaveLength(pages + 1);
    // The at-risk chart (the last of eight, so page 1 + 4) labels its bars with the names: svg-to-pdfkit's text.
    const chartPage = textOf(pdf, 5);
    // The at-risk table on the last page, drawn by pdfkit itself.
    const table = textOf(pdf, pages);
    for (const name of MEMBERS) {
      expect(chartPage).toContain(name);
      expect(table).toContain(name);
    }
  });
});
