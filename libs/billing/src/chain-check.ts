import { FiscalInvoice, FiscalLine, invoiceHash } from './invoice-hash';

export interface ChainRecord {
  invoice: FiscalInvoice;
  lines: FiscalLine[];
  /** The hash stored on the row. */
  hash: string;
}

export interface SeriesHead {
  series: string;
  nextNumber: number;
  lastHash: string | null;
}

export interface BrokenLink {
  series: string;
  number: number;
  reason: string;
}

/**
 * Checks one series, records ordered by number: numbers run 1, 2, 3... without gaps, each record's stored hash is
 * the hash of its content, each previous_hash is the stored hash of the record before, and the series head points
 * after the last record. Every broken record is reported, so an altered row is named alone: the one after it still
 * links to the hash stored on the altered row.
 */
export function checkSeries(head: SeriesHead, records: ChainRecord[]): BrokenLink[] {
  const broken: BrokenLink[] = [];
  let previous: string | null = null;
  let expected = 1;
  for (const record of records) {
    const { invoice } = record;
    const at = { series: head.series, number: invoice.number };
    if (invoice.number !== expected) {
      broken.push({
        ...at,
        reason: `number ${invoice.number} where ${expected} was expected (gap or duplicate)`,
      });
      expected = invoice.number;
    }
    if (invoice.previousHash !== previous) {
      broken.push({ ...at, reason: 'previous_hash does not match the hash of the record before it' });
    }
    if (invoiceHash(invoice, record.lines) !== record.hash) {
      broken.push({ ...at, reason: 'content does not match its hash (the record was altered)' });
    }
    previous = record.hash;
    expected += 1;
  }
  if (head.nextNumber !== expected) {
    broken.push({
      series: head.series,
      number: expected,
      reason: `the series expects number ${head.nextNumber} next, its last record is ${expected - 1}`,
    });
  } else if (head.lastHash !== previous) {
    broken.push({
      series: head.series,
      number: expected - 1,
      reason: 'the series head holds another last hash',
    });
  }
  return broken;
}
