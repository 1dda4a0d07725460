import { createHash } from 'node:crypto';

/** The fiscal content of an invoice or credit note: what the hash seals. Dates as 'YYYY-MM-DD', instants in UTC ISO. */
export interface FiscalInvoice {
  siteId: string;
  id: string;
  series: string;
  number: number;
  kind: 'invoice' | 'credit_note';
  memberId: string | null;
  companyId: string | null;
  buyer: Record<string, unknown>;
  currency: string;
  periodStart: string | null;
  periodEnd: string | null;
  issueDate: string;
  dueDate: string;
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
  correctsId: string | null;
  note: string | null;
  issuedAt: string;
  previousHash: string | null;
}

export interface FiscalLine {
  lineNo: number;
  kind: string;
  description: string;
  /** Three decimals, as stored (numeric(12,3)). */
  quantity: string;
  unitMinor: number;
  amountMinor: number;
  taxRateBp: number;
  taxMinor: number;
  contractId: string | null;
  bookingId: string | null;
  chargeId: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  correctsLineNo: number | null;
}

// The fixed field lists: a field added to the tables later is not sealed unless it is added here (and the hash
// format versioned), so a schema change can never silently change the hash of invoices already issued.
const INVOICE_FIELDS = [
  'siteId',
  'id',
  'series',
  'number',
  'kind',
  'memberId',
  'companyId',
  'buyer',
  'currency',
  'periodStart',
  'periodEnd',
  'issueDate',
  'dueDate',
  'subtotalMinor',
  'taxMinor',
  'totalMinor',
  'correctsId',
  'note',
  'issuedAt',
  'previousHash',
] as const satisfies readonly (keyof FiscalInvoice)[];

const LINE_FIELDS = [
  'lineNo',
  'kind',
  'description',
  'quantity',
  'unitMinor',
  'amountMinor',
  'taxRateBp',
  'taxMinor',
  'contractId',
  'bookingId',
  'chargeId',
  'periodStart',
  'periodEnd',
  'correctsLineNo',
] as const satisfies readonly (keyof FiscalLine)[];

export const HASH_FORMAT = 'cw-invoice-v1';

/**
 * JSON with keys sorted at every level, no whitespace, and only plain values: the same content always gives the same
 * bytes, whatever order a driver or a JSON column returns keys in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`cannot hash a non-finite number: ${value}`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      if (value instanceof Date) throw new TypeError('dates must be formatted before hashing');
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    case 'bigint':
    case 'function':
    case 'symbol':
    case 'undefined':
      break;
  }
  throw new TypeError(`cannot hash a ${typeof value}`);
}

function pick<T extends object>(source: T, fields: readonly (keyof T)[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = source[field];
    if (value === undefined) throw new TypeError(`field ${String(field)} is missing`);
    out[String(field)] = value;
  }
  return out;
}

export function canonicalInvoice(invoice: FiscalInvoice, lines: FiscalLine[]): string {
  const ordered = [...lines].sort((a, b) => a.lineNo - b.lineNo);
  return canonicalJson({
    format: HASH_FORMAT,
    invoice: pick(invoice, INVOICE_FIELDS),
    lines: ordered.map((l) => pick(l, LINE_FIELDS)),
  });
}

/** sha256 (hex) of the canonical invoice, which includes the previous hash of its series: the chain. */
export function invoiceHash(invoice: FiscalInvoice, lines: FiscalLine[]): string {
  return createHash('sha256').update(canonicalInvoice(invoice, lines), 'utf8').digest('hex');
}

export const formatQuantity = (quantity: number | string): string => Number(quantity).toFixed(3);
