import type { BoardReport, HeadlineFigure } from '../board-report';
import type { ReportChart } from '../charts/report-charts';
import { monthLabel } from '../month';
import type { KpiFigures } from '../report-data.source';
import {
  formatChange,
  formatCount,
  formatMinutesAsHours,
  formatMoney,
  formatRatio,
  formatValue,
  NO_FIGURE,
  toneOf,
  trendOf,
} from './format';

/** The browser builds of vega, vega-lite, the CSP-safe expression interpreter and vega-embed, in load order. */
export const VENDOR_SCRIPTS = [
  'vega.min.js',
  'vega-lite.min.js',
  'vega-interpreter.min.js',
  'vega-embed.min.js',
];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** JSON inside a <script> data block: `<` escaped so no value can close the element. */
export const jsonForScript = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

function head(title: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="color-scheme" content="light" />
    <title>${escapeHtml(title)}</title>
    <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
    <link rel="stylesheet" href="/assets/style.css" />
    <link rel="stylesheet" href="/assets/pages.css" />
${VENDOR_SCRIPTS.map((s) => `    <script defer src="/assets/vendor/${s}"></script>`).join('\n')}
    <script type="module" src="/assets/report-page.js"></script>
  </head>`;
}

function topbar(siteName: string, month: string, siteId: string): string {
  const fragment = `#site=${encodeURIComponent(siteId)}`;
  return `
    <header class="topbar">
      <div class="brand">
        <img class="brand-mark" src="/assets/favicon.svg" alt="" width="32" height="32" />
        <div class="brand-text">
          <h1>Board report</h1>
          <p class="subtitle">${escapeHtml(siteName)} · ${escapeHtml(monthLabel(month))}</p>
        </div>
      </div>
      <nav class="topbar-actions" aria-label="Pages">
        <a class="button ghost" href="/${fragment}">Floor map</a>
        <a class="button ghost" href="/kpis${fragment}">KPIs</a>
        <a class="button ghost" href="/at-risk${fragment}">At risk</a>
        <button id="download-pdf" class="button primary" type="button">Download PDF</button>
      </nav>
    </header>`;
}

function changeCell(figure: HeadlineFigure, currency: string): string {
  return `<span class="change" data-trend="${trendOf(figure)}" data-tone="${toneOf(figure)}">${escapeHtml(
    formatChange(figure, currency),
  )}</span>`;
}

function headlineCards(report: BoardReport): string {
  return report.headline
    .map(
      (h) => `
        <article class="card figure" data-figure="${escapeHtml(h.key)}">
          <h3>${escapeHtml(h.label)}</h3>
          <p class="figure-value">${escapeHtml(formatValue(h.value, h.unit, report.currency))}</p>
          <p class="figure-meta">${changeCell(h, report.currency)}
            <span class="muted">vs ${escapeHtml(formatValue(h.previous, h.unit, report.currency))}</span></p>
          ${h.value === null && h.reason ? `<p class="figure-reason">${escapeHtml(h.reason)}</p>` : ''}
        </article>`,
    )
    .join('');
}

function table<T>(caption: string, rows: T[], columns: [string, (row: T) => string, boolean?][]): string {
  const header = columns.map(
    ([title, , numeric]) => `<th${numeric ? ' class="num"' : ''}>${escapeHtml(title)}</th>`,
  );
  const body = rows.map(
    (row) =>
      `<tr>${columns
        .map(([, cell, numeric]) => `<td${numeric ? ' class="num"' : ''}>${escapeHtml(cell(row))}</td>`)
        .join('')}</tr>`,
  );
  return `
        <div class="table-wrap">
          <table>
            <caption>${escapeHtml(caption)}</caption>
            <thead><tr>${header.join('')}</tr></thead>
            <tbody>${body.join('') || `<tr><td colspan="${columns.length}" class="muted">None.</td></tr>`}</tbody>
          </table>
        </div>`;
}

const kpiColumns = <T extends KpiFigures>(): [string, (row: T) => string, boolean][] => [
  ['Utilisation', (r) => formatRatio(r.utilisation), true],
  ['Booking rate', (r) => formatRatio(r.bookingRate), true],
  ['Booked vs used', (r) => formatRatio(r.bookedVsUsed), true],
  ['No-show rate', (r) => formatRatio(r.noShowRate), true],
  ['Bookings', (r) => formatCount(r.bookings), true],
  ['Open', (r) => formatMinutesAsHours(r.openMinutes), true],
];

/** The report as a page: figures and tables in the markup, charts drawn in the browser from the embedded specs. */
export function reportPage(report: BoardReport, charts: ReportChart[]): string {
  const title = `${report.siteName} · Board report ${monthLabel(report.month)}`;
  const atRisk = report.atRisk.members;
  return `${head(title)}
  <body data-site="${escapeHtml(report.siteId)}" data-month="${escapeHtml(report.month)}">
${topbar(report.siteName, report.month, report.siteId)}
    <p id="banner" class="banner" role="alert" hidden></p>
    <main class="page">
      <p class="muted">Generated ${escapeHtml(report.generatedAt.replace('T', ' ').slice(0, 16))} UTC ·
        ${escapeHtml(report.timeZone)} · ${escapeHtml(report.currency)}${report.complete ? '' : ' · month not over'}</p>
      <section class="figures" aria-label="Headline figures">${headlineCards(report)}
      </section>
      ${
        report.notes.length
          ? `<section class="card notes" aria-labelledby="notes-title"><h2 id="notes-title">Missing figures</h2><ul>${report.notes
              .map((n) => `<li>${escapeHtml(n)}</li>`)
              .join('')}</ul></section>`
          : ''
      }
      <section class="charts" aria-label="Charts">
${charts
  .map(
    (c) => `        <figure class="card chart-card">
          <div class="chart" id="chart-${escapeHtml(c.id)}" data-chart="${escapeHtml(c.id)}" role="img"
            aria-label="${escapeHtml(c.title)}"></div>
        </figure>`,
  )
  .join('\n')}
      </section>
      <section class="card" aria-labelledby="tables-title">
        <h2 id="tables-title">KPI tables</h2>
${table('Per resource kind', report.perKind, [['Kind', (r) => r.kind.replace(/_/g, ' ')], ...kpiColumns()])}
${table('Per resource', report.perResource, [
  ['Resource', (r) => r.resourceName],
  ['Kind', (r) => r.kind.replace(/_/g, ' ')],
  ...kpiColumns(),
])}
${table('Revenue by stream', report.revenueByStream ?? [], [
  ['Stream', (r) => r.stream],
  ['This month', (r) => formatMoney(r.amountMinor, report.currency), true],
  ['Previous', (r) => formatMoney(r.previousMinor, report.currency), true],
])}
      </section>
      <section class="card" aria-labelledby="risk-title">
        <h2 id="risk-title">Members at risk</h2>
        ${
          atRisk
            ? table(`Scores of ${report.atRisk.scoredOn ?? NO_FIGURE}, highest first`, atRisk, [
                ['Member', (m) => m.name ?? m.memberId],
                ['Score', (m) => String(Math.round(m.score)), true],
                [
                  'Top factors',
                  (m) =>
                    m.factors
                      .slice(0, 3)
                      .map((f) => f.detail ?? f.factor)
                      .join('; ') || NO_FIGURE,
                ],
              ])
            : `<p class="muted">No at-risk list: ${escapeHtml(report.atRisk.reason ?? 'no scores')}.</p>`
        }
      </section>
    </main>
    <script type="application/json" id="report-data">${jsonForScript({ charts })}</script>
  </body>
</html>
`;
}

/**
 * The page without data, for a browser that opened the link without a key header: its script takes the key from the
 * URL fragment or this browser's storage (as the floor map does) and loads the report with it.
 */
export function reportShell(siteId: string, month: string): string {
  return `${head(`Board report ${month}`)}
  <body data-site="${escapeHtml(siteId)}" data-month="${escapeHtml(month)}">
${topbar(siteId, month, siteId)}
    <p id="banner" class="banner" role="alert" hidden></p>
    <section id="key-panel" class="key-panel" hidden>
      <form id="key-form" class="card key-card">
        <h2>Open the board report</h2>
        <p class="muted">Paste an admin or manager API key of this space. It stays in this browser only.</p>
        <label for="key-input">API key</label>
        <input id="key-input" name="key" type="password" autocomplete="off" spellcheck="false" required placeholder="cwk_…" />
        <p id="key-error" class="form-error" role="alert" hidden></p>
        <button class="button primary" type="submit">Show the report</button>
      </form>
    </section>
    <main class="page" id="loading"><p class="muted">Loading the report…</p></main>
  </body>
</html>
`;
}
