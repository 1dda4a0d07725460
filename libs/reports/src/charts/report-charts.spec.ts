import { compile, type TopLevelSpec } from 'vega-lite';
import { buildBoardReport } from '../report.builder';
import { collectReportInputs } from '../report-inputs';
import { FixtureReportDataSource } from '../testing/report-fixtures';
import { renderSvg } from '../render/svg';
import { heatmapSpec, reportCharts, revenueByStreamSpec, utilisationTrendSpec } from './report-charts';

const SITE = { id: 's1', name: 'Test Space', timeZone: 'Europe/Madrid', currency: 'EUR' };

async function fixtureReport() {
  const inputs = await collectReportInputs(
    new FixtureReportDataSource(),
    SITE,
    '2025-03',
    new Date('2025-04-01T06:00:00Z'),
  );
  return buildBoardReport(inputs);
}

type Encoded = { field?: string };

/** Fields the encodings name, which must all be columns of the inline data. */
function encodedFields(spec: TopLevelSpec): string[] {
  const encoding = (spec as { encoding?: Record<string, Encoded | Encoded[]> }).encoding ?? {};
  return Object.values(encoding)
    .flatMap((channel) => (Array.isArray(channel) ? channel : [channel]))
    .map((channel) => channel.field)
    .filter((field): field is string => typeof field === 'string');
}

const valuesOf = (spec: TopLevelSpec) =>
  (spec as { data: { values: Record<string, unknown>[] } }).data.values;

describe('report chart specs', () => {
  it('compile with vega-lite and encode only fields their data holds', async () => {
    const charts = reportCharts(await fixtureReport());
    expect(charts.map((c) => c.id)).toEqual([
      'utilisation-trend',
      'heatmap',
      'booked-vs-used',
      'no-shows',
      'revenue',
      'mrr',
      'churn',
      'at-risk',
    ]);
    for (const chart of charts) {
      const compiled = compile(chart.spec).spec;
      expect(compiled.marks?.length).toBeGreaterThan(0);
      const values = valuesOf(chart.spec);
      expect(values.length).toBeGreaterThan(0);
      const columns = new Set(values.flatMap((row) => Object.keys(row)));
      for (const field of encodedFields(chart.spec))
        expect([chart.id, columns.has(field)]).toEqual([chart.id, true]);
    }
  });

  it('plot the report figures themselves: one trend point per day and series, money in major units', async () => {
    const report = await fixtureReport();
    const trend = valuesOf(utilisationTrendSpec(report.daily));
    expect(trend).toHaveLength(31 * 2);
    const march3 = trend.filter((v) => v.date === '2025-03-03');
    expect(march3.find((v) => v.series === 'Utilisation')?.value).toBe(report.daily[2].utilisation);
    // 2025-03-01 is a Saturday: closed in the fixture, so a gap (null), never a zero.
    expect(trend.find((v) => v.date === '2025-03-01' && v.series === 'Utilisation')?.value).toBeNull();

    const revenue = valuesOf(revenueByStreamSpec(report.revenueByStream, 'EUR'));
    const membership = report.revenueByStream!.find((s) => s.stream === 'membership')!;
    expect(revenue.find((v) => v.stream === 'membership' && v.month === 'This month')?.amount).toBe(
      membership.amountMinor / 100,
    );
    expect(valuesOf(revenueByStreamSpec(report.revenueByStream, 'JPY'))[0]?.amount).toBe(
      report.revenueByStream![0].amountMinor,
    );
  });

  it('lays the heatmap out as weekday rows and hour columns', () => {
    const spec = heatmapSpec([
      { dayOfWeek: 1, hour: 9, utilisation: 0.5 },
      { dayOfWeek: 7, hour: 23, utilisation: null },
    ]);
    expect(valuesOf(spec)).toEqual([
      { weekday: 'Mon', hour: 9, utilisation: 0.5 },
      { weekday: 'Sun', hour: 23, utilisation: null },
    ]);
  });

  it('render to SVG on the server, with an empty dataset too', async () => {
    const svg = await renderSvg(utilisationTrendSpec([]));
    expect(svg.startsWith('<svg')).toBe(true);
    const full = await renderSvg(reportCharts(await fixtureReport())[1].spec);
    expect(full).toContain('Hour-of-week heatmap');
    expect((full.match(/<path/g) ?? []).length).toBeGreaterThan(24);
  });
});
