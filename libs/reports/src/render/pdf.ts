import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import type { BoardReport } from '../board-report';
import { CHART_HEIGHT, CHART_WIDTH } from '../charts/chart-style';
import type { ReportChart } from '../charts/report-charts';
import { monthLabel } from '../month';
import type { KpiFigures } from '../report-data.source';
import {
  formatChange,
  formatCount,
  formatMinutesAsHours,
  formatRatio,
  formatValue,
  NO_FIGURE,
  trendOf,
} from './format';
import { chartFont, FONT, registerFonts } from './fonts';

const MARGIN = 48;
const PAGE = { width: 595.28, height: 841.89 };
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;
const CHARTS_PER_PAGE = 2;
/** Table rows per page after the header; a longer table continues on the next page under a repeated header. */
export const RESOURCE_ROWS_PER_PAGE = 30;
export const AT_RISK_ROWS_PER_PAGE = 22;
const INK = '#0f172a';
const MUTED = '#64748b';
const RULE = '#e2e8f0';
const ACCENT = '#4338ca';

export interface RenderedChart extends ReportChart {
  svg: string;
}

interface Column<T> {
  title: string;
  width: number;
  align?: 'left' | 'right';
  cell: (row: T) => string;
}

/**
 * Pages, in order: the title page (headline figures with their month-on-month change, notes on missing figures),
 * the charts two to a page, the KPI tables per kind and per resource, and the at-risk members. The count depends
 * only on the number of charts and rows, so a reader (and a test) can predict it: see {@link expectedPageCount}.
 */
export interface RenderedPdf {
  pdf: Buffer;
  pages: number;
}

export function renderPdf(report: BoardReport, charts: RenderedChart[]): Promise<RenderedPdf> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: {
      Title: `${report.siteName} board report ${report.month}`,
      Subject: `Monthly KPIs for ${report.siteName}, ${monthLabel(report.month)}`,
      CreationDate: new Date(report.generatedAt),
    },
  });
  registerFonts(doc);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  let pages = 0;
  const done = new Promise<RenderedPdf>((resolve, reject) => {
    doc.on('end', () => resolve({ pdf: Buffer.concat(chunks), pages }));
    doc.on('error', reject);
  });
  titlePage(doc, report);
  chartPages(doc, charts);
  tablePages(doc, report);
  atRiskPages(doc, report);
  footers(doc, report);
  pages = doc.bufferedPageRange().count;
  doc.end();
  return done;
}

export function expectedPageCount(report: BoardReport, charts: number): number {
  const resourcePages = Math.max(1, Math.ceil(report.perResource.length / RESOURCE_ROWS_PER_PAGE));
  const riskPages = Math.max(1, Math.ceil((report.atRisk.members?.length ?? 0) / AT_RISK_ROWS_PER_PAGE));
  return 1 + Math.ceil(charts / CHARTS_PER_PAGE) + resourcePages + riskPages;
}

function heading(doc: PDFKit.PDFDocument, text: string, sub?: string): void {
  doc.font(FONT.bold).fontSize(16).fillColor(INK).text(text, MARGIN, MARGIN);
  if (sub) doc.font(FONT.regular).fontSize(10).fillColor(MUTED).text(sub);
  doc.moveDown(0.8);
}

function titlePage(doc: PDFKit.PDFDocument, report: BoardReport): void {
  doc.rect(0, 0, PAGE.width, 150).fill(ACCENT);
  doc.font(FONT.regular).fontSize(11).fillColor('#c7d2fe').text('BOARD REPORT', MARGIN, 46);
  doc.font(FONT.bold).fontSize(26).fillColor('#ffffff').text(report.siteName, MARGIN, 64, {
    width: CONTENT_WIDTH,
    height: 34,
    ellipsis: true,
  });
  doc
    .font(FONT.regular)
    .fontSize(13)
    .fillColor('#e0e7ff')
    .text(`${monthLabel(report.month)} · ${report.timeZone} · ${report.currency}`, MARGIN, 102);
  doc
    .fontSize(9)
    .fillColor('#c7d2fe')
    .text(`Generated ${report.generatedAt.replace('T', ' ').slice(0, 16)} UTC`, MARGIN, 122);
  doc.y = 178;
  doc.font(FONT.bold).fontSize(13).fillColor(INK).text('Headline figures', MARGIN, doc.y);
  doc.moveDown(0.5);
  table(doc, report.headline, [
    { title: 'Figure', width: 190, cell: (h) => h.label },
    {
      title: 'This month',
      width: 95,
      align: 'right',
      cell: (h) => formatValue(h.value, h.unit, report.currency),
    },
    {
      title: 'Previous',
      width: 95,
      align: 'right',
      cell: (h) => formatValue(h.previous, h.unit, report.currency),
    },
    {
      title: 'Change',
      width: CONTENT_WIDTH - 380,
      align: 'right',
      cell: (h) =>
        `${formatChange(h, report.currency)}${{ up: ' ^', down: ' v', flat: ' =', none: '' }[trendOf(h)]}`,
    },
  ]);
  if (report.notes.length) {
    doc.moveDown(1);
    doc.font(FONT.bold).fontSize(11).fillColor(INK).text('Notes on missing figures', MARGIN);
    doc.moveDown(0.3);
    const bottom = PAGE.height - MARGIN - 30;
    for (const note of report.notes) {
      if (doc.y > bottom - 24) {
        doc.font(FONT.regular).fontSize(9).fillColor(MUTED).text('More notes in the online report.', MARGIN);
        break;
      }
      doc
        .font(FONT.regular)
        .fontSize(9)
        .fillColor(MUTED)
        .text(`- ${note}`, MARGIN, doc.y, { width: CONTENT_WIDTH });
    }
  }
}

function chartPages(doc: PDFKit.PDFDocument, charts: RenderedChart[]): void {
  const scale = CONTENT_WIDTH / (CHART_WIDTH + 120);
  const slot = (PAGE.height - 2 * MARGIN - 40) / CHARTS_PER_PAGE;
  charts.forEach((chart, i) => {
    if (i % CHARTS_PER_PAGE === 0) {
      doc.addPage();
      heading(doc, 'Charts', 'Interactive versions are on the report page.');
    }
    const top = MARGIN + 40 + (i % CHARTS_PER_PAGE) * slot;
    SVGtoPDF(doc, chart.svg, MARGIN, top, {
      width: CONTENT_WIDTH,
      height: Math.min(slot - 10, (CHART_HEIGHT + 120) * scale),
      preserveAspectRatio: 'xMinYMin meet',
      assumePt: true,
      fontCallback: chartFont,
    });
  });
}

const kpiColumns = <T extends KpiFigures>(first: Column<T>[]): Column<T>[] => [
  ...first,
  { title: 'Util.', width: 46, align: 'right', cell: (r) => formatRatio(r.utilisation) },
  { title: 'Booked', width: 48, align: 'right', cell: (r) => formatRatio(r.bookingRate) },
  { title: 'B. vs used', width: 52, align: 'right', cell: (r) => formatRatio(r.bookedVsUsed) },
  { title: 'No-show', width: 48, align: 'right', cell: (r) => formatRatio(r.noShowRate) },
  { title: 'Peak', width: 34, align: 'right', cell: (r) => formatCount(r.peakOccupancy) },
  { title: 'Open', width: 50, align: 'right', cell: (r) => formatMinutesAsHours(r.openMinutes) },
];

function tablePages(doc: PDFKit.PDFDocument, report: BoardReport): void {
  doc.addPage();
  heading(doc, 'KPI tables', `${monthLabel(report.month)}, site local time and opening hours`);
  doc.font(FONT.bold).fontSize(11).fillColor(INK).text('Per resource kind', MARGIN);
  doc.moveDown(0.3);
  table(
    doc,
    report.perKind,
    kpiColumns([{ title: 'Kind', width: CONTENT_WIDTH - 278, cell: (r) => r.kind.replace(/_/g, ' ') }]),
  );
  doc.moveDown(1);
  const resourceColumns = kpiColumns<BoardReport['perResource'][number]>([
    { title: 'Resource', width: CONTENT_WIDTH - 278 - 70, cell: (r) => r.resourceName },
    { title: 'Kind', width: 70, cell: (r) => r.kind.replace(/_/g, ' ') },
  ]);
  for (let start = 0; start === 0 || start < report.perResource.length; start += RESOURCE_ROWS_PER_PAGE) {
    if (start > 0) {
      doc.addPage();
      heading(doc, 'KPI tables (continued)');
    }
    doc.font(FONT.bold).fontSize(11).fillColor(INK).text('Per resource', MARGIN);
    doc.moveDown(0.3);
    const rows = report.perResource.slice(start, start + RESOURCE_ROWS_PER_PAGE);
    if (rows.length) table(doc, rows, resourceColumns);
    else doc.font(FONT.regular).fontSize(9).fillColor(MUTED).text('No resources.', MARGIN);
  }
}

function atRiskPages(doc: PDFKit.PDFDocument, report: BoardReport): void {
  const members = report.atRisk.members ?? [];
  for (let start = 0; start === 0 || start < members.length; start += AT_RISK_ROWS_PER_PAGE) {
    doc.addPage();
    heading(
      doc,
      start === 0 ? 'Members at risk' : 'Members at risk (continued)',
      report.atRisk.scoredOn ? `Churn-risk scores of ${report.atRisk.scoredOn}, highest first` : undefined,
    );
    if (!report.atRisk.members) {
      doc
        .font(FONT.regular)
        .fontSize(10)
        .fillColor(MUTED)
        .text(`No at-risk list: ${report.atRisk.reason ?? 'no scores'}.`, MARGIN);
      return;
    }
    if (!members.length) {
      doc.font(FONT.regular).fontSize(10).fillColor(MUTED).text('No member is at risk.', MARGIN);
      return;
    }
    table(doc, members.slice(start, start + AT_RISK_ROWS_PER_PAGE), [
      { title: 'Member', width: 150, cell: (m) => m.name ?? m.memberId },
      { title: 'Score', width: 45, align: 'right', cell: (m) => String(Math.round(m.score)) },
      {
        title: 'Top factors',
        width: CONTENT_WIDTH - 195,
        cell: (m) =>
          m.factors
            .slice(0, 3)
            .map((f) => f.detail ?? f.factor.replace(/_/g, ' '))
            .join(', ') || NO_FIGURE,
      },
    ]);
  }
}

function table<T>(doc: PDFKit.PDFDocument, rows: T[], columns: Column<T>[]): void {
  const rowHeight = 17;
  const draw = (cells: string[], y: number, bold: boolean) => {
    let x = MARGIN;
    doc
      .font(bold ? FONT.bold : FONT.regular)
      .fontSize(8.5)
      .fillColor(bold ? MUTED : INK);
    cells.forEach((text, i) => {
      const column = columns[i];
      doc.text(text, x + 3, y + 4, {
        width: column.width - 6,
        align: column.align ?? 'left',
        lineBreak: false,
        ellipsis: true,
        height: rowHeight,
      });
      x += column.width;
    });
  };
  let y = doc.y;
  draw(
    columns.map((c) => c.title),
    y,
    true,
  );
  y += rowHeight;
  doc
    .moveTo(MARGIN, y)
    .lineTo(MARGIN + CONTENT_WIDTH, y)
    .lineWidth(0.8)
    .strokeColor(RULE)
    .stroke();
  for (const row of rows) {
    draw(
      columns.map((c) => c.cell(row)),
      y,
      false,
    );
    y += rowHeight;
    doc
      .moveTo(MARGIN, y)
      .lineTo(MARGIN + CONTENT_WIDTH, y)
      .lineWidth(0.4)
      .strokeColor(RULE)
      .stroke();
  }
  doc.x = MARGIN;
  doc.y = y + 4;
}

function footers(doc: PDFKit.PDFDocument, report: BoardReport): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing inside the bottom margin would make pdfkit add a page; lift the margin while the footer is drawn.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font(FONT.regular)
      .fontSize(8)
      .fillColor(MUTED)
      .text(
        `${report.siteName} · ${monthLabel(report.month)} · page ${i + 1} of ${range.count}`,
        MARGIN,
        PAGE.height - MARGIN + 16,
        { width: CONTENT_WIDTH, align: 'right', lineBreak: false },
      );
    doc.page.margins.bottom = bottom;
  }
}
