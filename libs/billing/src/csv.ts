export type CsvValue = string | number | null;

// Spreadsheets run a cell that starts like a formula: text cells (names, references) are defused with a quote.
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell from outside (a buyer name, a payment reference): never interpreted as a formula. */
export const textCell = (value: string | null): CsvValue =>
  value !== null && FORMULA_START.test(value) ? `'${value}` : value;

function field(value: CsvValue): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180: CRLF line ends, fields quoted when they hold a quote, comma or line break, quotes doubled. */
export function csvLine(values: CsvValue[]): string {
  return `${values.map(field).join(',')}\r\n`;
}

export function toCsv(header: string[], rows: CsvValue[][]): string {
  return csvLine(header) + rows.map(csvLine).join('');
}
