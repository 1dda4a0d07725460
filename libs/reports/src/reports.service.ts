import { Injectable } from '@nestjs/common';
import { Clock, invalid, notFound } from '@cw/common';
import { SitesService } from '@cw/sites';
import type { BoardReport } from './board-report';
import { reportCharts, ReportChart } from './charts/report-charts';
import { isMonth, localDay, localMonth } from './month';
import { RenderedChart, renderPdf } from './render/pdf';
import { renderSvg } from './render/svg';
import { buildBoardReport } from './report.builder';
import { ReportDataSource } from './report-data.source';
import { collectReportInputs } from './report-inputs';
import { ReportsRepository, ReportTrigger, StoredReport, StoredReportSummary } from './reports.repository';

export interface GeneratedReport {
  report: BoardReport;
  charts: RenderedChart[];
  pdf: Buffer;
  pages: number;
}

/** Board reports: built from the KPI, money and churn services, rendered to SVG charts and a PDF, stored per month. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly repo: ReportsRepository,
    private readonly source: ReportDataSource,
    private readonly sites: SitesService,
    private readonly clock: Clock,
  ) {}

  /** Builds and renders a month's report without storing it. */
  async build(siteId: string, month: string): Promise<GeneratedReport> {
    const site = await this.sites.getSite(siteId);
    const now = this.clock.now();
    this.checkMonth(month, localMonth(now, site.timeZone), localDay(now, site.timeZone));
    const inputs = await collectReportInputs(
      this.source,
      { id: site.id, name: site.name, timeZone: site.timeZone, currency: site.currency },
      month,
      now,
    );
    const report = buildBoardReport(inputs);
    const charts: RenderedChart[] = [];
    // One at a time: rendering is CPU work, and a report is not worth starving the event loop for.
    for (const chart of reportCharts(report)) charts.push({ ...chart, svg: await renderSvg(chart.spec) });
    const { pdf, pages } = await renderPdf(report, charts);
    return { report, charts, pdf, pages };
  }

  /**
   * Generates a month's report and stores it in place of any earlier one (on demand, or the KPI benchmark's
   * `report_s`, which times exactly this call).
   */
  async generateReport(
    siteId: string,
    month: string,
    trigger: ReportTrigger = 'request',
  ): Promise<StoredReport> {
    const generated = await this.build(siteId, month);
    await this.store(generated, trigger, true);
    return this.get(siteId, month);
  }

  /** The scheduled run: generates the month only when no report exists yet; true when it stored one. */
  async ensureReport(siteId: string, month: string): Promise<boolean> {
    if (await this.repo.exists(siteId, month)) return false;
    return this.store(await this.build(siteId, month), 'schedule', false);
  }

  async get(siteId: string, month: string): Promise<StoredReport> {
    this.checkFormat(month);
    const stored = await this.repo.find(siteId, month);
    if (!stored) throw this.missing(siteId, month);
    return stored;
  }

  async pdf(siteId: string, month: string): Promise<Buffer> {
    this.checkFormat(month);
    const pdf = await this.repo.pdf(siteId, month);
    if (!pdf) throw this.missing(siteId, month);
    return pdf;
  }

  async list(siteId: string): Promise<StoredReportSummary[]> {
    await this.sites.getSite(siteId);
    return this.repo.list(siteId);
  }

  /** The Vega-Lite specs of a stored report, for the interactive page. */
  charts(report: BoardReport): ReportChart[] {
    return reportCharts(report);
  }

  private async store(
    generated: GeneratedReport,
    trigger: ReportTrigger,
    replace: boolean,
  ): Promise<boolean> {
    const { report } = generated;
    return this.repo.save(
      {
        siteId: report.siteId,
        month: report.month,
        generatedAt: new Date(report.generatedAt),
        complete: report.complete,
        trigger,
        data: report,
        pdf: generated.pdf,
        pdfPages: generated.pages,
      },
      replace,
    );
  }

  private missing(siteId: string, month: string) {
    return notFound(
      `board report of ${month} for site ${siteId} (POST /v1/sites/${siteId}/reports/${month} makes it)`,
    );
  }

  private checkFormat(month: string): void {
    if (!isMonth(month))
      throw invalid('month must be YYYY-MM', [{ path: 'params.month', message: 'YYYY-MM' }]);
  }

  private checkMonth(month: string, current: string, today: string): void {
    this.checkFormat(month);
    if (month > current) {
      throw invalid(`${month} has not started at the site yet (it is ${today} there)`, [
        { path: 'params.month', message: `must not be after ${current}` },
      ]);
    }
  }
}
