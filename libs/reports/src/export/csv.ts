import { KPI_TABLE_COLUMNS, KpiTableRow } from './kpi-table';

// Spreadsheets run a cell that starts like a formula; text cells (names come from operators) are defused with a
// leading quote, as OWASP advises. Numbers are written bare, so a negative number stays a number.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field per RFC 4180: quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvField(value: string | number | null, type: 'text' | 'number'): string {
  if (value === null) return '';
  let text = typeof value === 'number' ? String(value) : value;
  if (type === 'text' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The KPI table as CSV: a header line, one line per row, CRLF line ends (RFC 4180); empty cells for nulls. */
export function kpiTableCsv(rows: KpiTableRow[]): string {
  const header = KPI_TABLE_COLUMNS.map((c) => csvField(c.name, 'text')).join(',');
  const lines = rows.map((row) =>
    KPI_TABLE_COLUMNS.map((c) => csvField(row[c.name], c.type === 'text' ? 'text' : 'number')).join(','),
  );
  return [header, ...lines].join('\r\n') + '\r\n';
}
