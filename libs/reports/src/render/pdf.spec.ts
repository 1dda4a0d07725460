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
