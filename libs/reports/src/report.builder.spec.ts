import { monthChange } from './month-change';
import { toneOf } from './render/format';
import { AT_RISK_THRESHOLD, buildBoardReport } from './report.builder';
import { collectReportInputs } from './report-inputs';
import type { MoneySnapshot, ReportDataSource } from './report-data.source';
import { fixtureMoney, FixtureReportDataSource } from './testing/report-fixtures';

const SITE = { id: 's1', name: 'Test Space', timeZone: 'Europe/Madrid', currency: 'EUR' };

describe('monthChange', () => {
  it('gives the difference and the relative change, or null when a month has no figure', () => {
    expect(monthChange(0.5, 0.4)).toEqual({
      absolute: expect.closeTo(0.1, 10),
      relative: expect.closeTo(0.25, 10),
    });
    expect(monthChange(3, 0)).toEqual({ absolute: 3, relative: null });
    expect(monthChange(null, 1)).toBeNull();
    expect(monthChange(1, null)).toBeNull();
  });
});

describe('buildBoardReport', () => {
  it('asks for the month, the month before, every day, six months of money and the at-risk lists', async () => {
    const source = new FixtureReportDataSource();
    await collectReportInputs(source, SITE, '2025-03', new Date('2025-04-01T08:00:00Z'));
    expect(source.calls.filter((c) => c.startsWith('kpis month'))).toEqual([
      'kpis month 2025-03-01',
      'kpis month 2025-02-01',
    ]);
    expect(source.calls.filter((c) => c.startsWith('kpis day'))).toHaveLength(31);
    expect(source.calls.filter((c) => c.startsWith('money'))).toEqual(
      ['2024-10', '2024-11', '2024-12', '2025-01', '2025-02', '2025-03'].map((m) => `money ${m}`),
    );
    expect(source.calls.filter((c) => c.startsWith('atRisk'))).toEqual([
      'atRisk 2025-03-31',
      'atRisk 2025-02-28',
    ]);
  });

  it('puts the month-on-month change beside each headline figure', async () => {
    const source = new FixtureReportDataSource();
    const report = buildBoardReport(
      await collectReportInputs(source, SITE, '2025-03', new Date('2025-04-02T00:00:00Z')),
    );
    expect(report.complete).toBe(true);
    const march = await source.kpis('s1', 'month', '2025-03-01');
    const february = await source.kpis('s1', 'month', '2025-02-01');
    const utilisation = report.headline.find((h) => h.key === 'utilisation')!;
    expect(utilisation.value).toBe(march.site.utilisation);
    expect(utilisation.previous).toBe(february.site.utilisation);
    expect(utilisation.change?.absolute).toBeCloseTo(
      march.site.utilisation! - february.site.utilisation!,
      12,
    );

    const mrr = report.headline.find((h) => h.key === 'mrr')!;
    expect(mrr.value).toBe(fixtureMoney('2025-03').mrrMinor);
    expect(mrr.previous).toBe(fixtureMoney('2025-02').mrrMinor);
    const revenue = report.headline.find((h) => h.key === 'revenue')!;
    expect(revenue.value).toBe(
      fixtureMoney('2025-03').revenueByStream!.reduce((s, r) => s + r.amountMinor, 0),
    );
    const atRisk = report.headline.find((h) => h.key === 'atRisk')!;
    expect(atRisk.value).toBe(report.atRisk.members!.filter((m) => m.score >= AT_RISK_THRESHOLD).length);
    expect(report.moneyTrend.map((p) => p.month)).toHaveLength(6);
    expect(report.daily).toHaveLength(31);
    // Weekends are closed in the fixture: 10 days of March 2025 have no utilisation, said once with the reason.
    expect(report.notes).toContain('Daily utilisation missing on 10 days: the site is closed on this day');
  });

  it('keeps a missing figure null with its reason, never a number, and flags an unfinished month', async () => {
    const noMoney: MoneySnapshot = {
      currency: 'EUR',
      mrrMinor: null,
      revenueByStream: null,
      churnRate: null,
      membersAtStart: null,
      membersChurned: null,
      overdueCount: null,
      overdueAmountMinor: null,
      reasons: { mrrMinor: 'the site has no contracts', revenueByStream: 'no invoices were issued' },
    };
    const fixture = new FixtureReportDataSource();
    const source: ReportDataSource = {
      kpis: (s, p, d) => fixture.kpis(s, p, d),
      money: () => Promise.resolve(noMoney),
      atRisk: () => Promise.resolve({ scoredOn: null, members: null, reason: 'no churn scores yet' }),
    };
    const report = buildBoardReport(
      await collectReportInputs(source, SITE, '2025-03', new Date('2025-03-15T10:00:00Z')),
    );
    expect(report.complete).toBe(false);
    const mrr = report.headline.find((h) => h.key === 'mrr')!;
    expect(mrr).toMatchObject({ value: null, change: null, reason: 'the site has no contracts' });
    expect(report.headline.find((h) => h.key === 'churnRate')).toMatchObject({
      value: null,
      reason: 'no figure for this month',
    });
    expect(report.revenueByStream).toBeNull();
    expect(report.notes[0]).toMatch(/not over/);
    expect(report.notes).toContain('MRR: the site has no contracts');
    expect(report.notes).toContain('Members at risk (score 60+): no churn scores yet');
  });
});

describe('toneOf', () => {
  it('reads a rise as good news for utilisation and bad news for no-shows and overdue invoices', async () => {
    const report = buildBoardReport(
      await collectReportInputs(
        new FixtureReportDataSource(),
        SITE,
        '2025-03',
        new Date('2025-04-02T00:00:00Z'),
      ),
    );
    const up = { absolute: 1, relative: 0.1 };
    const figure = (key: string) => ({ ...report.headline.find((h) => h.key === key)!, change: up });
    expect(toneOf(figure('utilisation'))).toBe('good');
    expect(toneOf(figure('noShowRate'))).toBe('bad');
    expect(toneOf(figure('overdueAmount'))).toBe('bad');
    expect(toneOf({ ...figure('churnRate'), change: { absolute: -0.01, relative: -0.2 } })).toBe('good');
    expect(toneOf({ ...figure('mrr'), change: null })).toBe('neutral');
  });
});
