import { Injectable } from '@nestjs/common';
import { Database } from '@cw/database';
import type { BoardReport } from './board-report';

export type ReportTrigger = 'schedule' | 'request';

export interface StoredReportSummary {
  siteId: string;
  month: string;
  generatedAt: string;
  complete: boolean;
  trigger: ReportTrigger;
  pdfPages: number;
}

export interface StoredReport extends StoredReportSummary {
  data: BoardReport;
}

export interface NewReport {
  siteId: string;
  month: string;
  generatedAt: Date;
  complete: boolean;
  trigger: ReportTrigger;
  data: BoardReport;
  pdf: Buffer;
  pdfPages: number;
}

interface SummaryRow {
  site_id: string;
  month: string;
  generated_at: Date | string;
  complete: boolean;
  trigger: ReportTrigger;
  pdf_pages: number;
}

export interface SiteZone {
  id: string;
  timeZone: string;
  createdAt: Date;
}

const SUMMARY_COLUMNS = `site_id, to_char(month, 'YYYY-MM') AS month, generated_at, complete, trigger, pdf_pages`;

const toSummary = (row: SummaryRow): StoredReportSummary => ({
  siteId: row.site_id,
  month: row.month,
  generatedAt: new Date(row.generated_at).toISOString(),
  complete: row.complete,
  trigger: row.trigger,
  pdfPages: row.pdf_pages,
});

@Injectable()
export class ReportsRepository {
  constructor(private readonly db: Database) {}

  /** Stores a report; `replace` false keeps an existing one (the scheduled run), true overwrites (on demand). */
  async save(report: NewReport, replace: boolean): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `INSERT INTO board_reports (site_id, month, generated_at, complete, trigger, data, pdf, pdf_pages)
       VALUES ($1, ($2 || '-01')::date, $3, $4, $5, $6::jsonb, $7, $8)
       ON CONFLICT (site_id, month) DO ${
         replace
           ? `UPDATE SET generated_at = EXCLUDED.generated_at, complete = EXCLUDED.complete,
                trigger = EXCLUDED.trigger, data = EXCLUDED.data, pdf = EXCLUDED.pdf, pdf_pages = EXCLUDED.pdf_pages`
           : 'NOTHING'
       }`,
      [
        report.siteId,
        report.month,
        report.generatedAt,
        report.complete,
        report.trigger,
        JSON.stringify(report.data),
        report.pdf,
        report.pdfPages,
      ],
    );
    return rowCount > 0;
  }

  async exists(siteId: string, month: string): Promise<boolean> {
    const { rows } = await this.db.query(
      `SELECT 1 FROM board_reports WHERE site_id = $1 AND month = ($2 || '-01')::date`,
      [siteId, month],
    );
    return rows.length > 0;
  }

  async find(siteId: string, month: string): Promise<StoredReport | null> {
    const { rows } = await this.db.query<SummaryRow & { data: BoardReport | string }>(
      `SELECT ${SUMMARY_COLUMNS}, data FROM board_reports WHERE site_id = $1 AND month = ($2 || '-01')::date`,
      [siteId, month],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      ...toSummary(row),
      data: typeof row.data === 'string' ? (JSON.parse(row.data) as BoardReport) : row.data,
    };
  }

  async pdf(siteId: string, month: string): Promise<Buffer | null> {
    const { rows } = await this.db.query<{ pdf: Uint8Array }>(
      `SELECT pdf FROM board_reports WHERE site_id = $1 AND month = ($2 || '-01')::date`,
      [siteId, month],
    );
    return rows[0] ? Buffer.from(rows[0].pdf) : null;
  }

  async list(siteId: string): Promise<StoredReportSummary[]> {
    const { rows } = await this.db.query<SummaryRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM board_reports WHERE site_id = $1 ORDER BY month DESC`,
      [siteId],
    );
    return rows.map(toSummary);
  }

  /** Every site with its zone: the scheduler decides per site which month just ended there. */
  async sites(): Promise<SiteZone[]> {
    const { rows } = await this.db.query<{ id: string; time_zone: string; created_at: Date | string }>(
      'SELECT id, time_zone, created_at FROM sites ORDER BY id',
    );
    return rows.map((r) => ({ id: r.id, timeZone: r.time_zone, createdAt: new Date(r.created_at) }));
  }
}
