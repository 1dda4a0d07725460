import { DomainError, ErrorCode, invalid } from '@cw/common';
import { DraftLine } from './billing-lines';
import { FiscalLine } from './invoice-hash';
import { taxOf } from './tax';

export interface CreditRequest {
  /** Credit every line for what is left of it. */
  full?: boolean;
  /** Or these lines, each for `amountMinor` (positive; default: what is left of the line). */
  lines?: { lineNo: number; amountMinor?: number }[];
  reason: string;
}

export interface Credited {
  amountMinor: number;
  taxMinor: number;
}

/**
 * The lines of a credit note: negative amounts, one per corrected line, never more than what earlier credit notes
 * left of that line. The credit that empties a line takes back exactly the tax the line has left, so the line's
 * tax is reversed to the unit whatever the partial credits before it rounded to.
 */
export function buildCreditLines(
  invoiceId: string,
  original: FiscalLine[],
  credited: Map<number, Credited>,
  request: CreditRequest,
): DraftLine[] {
  const byNo = new Map(original.map((l) => [l.lineNo, l]));
  const wanted = request.full
    ? original.map((l) => ({ lineNo: l.lineNo, amountMinor: undefined as number | undefined }))
    : (request.lines ?? []);
  const missing = wanted
    .map((w, index) => ({ w, index }))
    .filter(({ w }) => !byNo.has(w.lineNo))
    .map(({ w, index }) => ({
      path: `lines.${index}.lineNo`,
      message: `invoice ${invoiceId} has no line ${w.lineNo}`,
    }));
  if (missing.length) throw invalid('credit note names lines the invoice does not have', missing);
  if (new Set(wanted.map((w) => w.lineNo)).size !== wanted.length)
    throw invalid('credit note names a line twice', [{ path: 'lines', message: 'each line at most once' }]);

  const drafts: DraftLine[] = [];
  for (const w of wanted) {
    const line = byNo.get(w.lineNo) as FiscalLine;
    const done = credited.get(line.lineNo) ?? { amountMinor: 0, taxMinor: 0 };
    const left = line.amountMinor - done.amountMinor;
    if (request.full && left <= 0) continue;
    const amount = w.amountMinor ?? left;
    if (amount <= 0 || amount > left) {
      throw new DomainError(
        ErrorCode.Conflict,
        `line ${line.lineNo} of ${invoiceId} has ${left} left to credit; ${amount} asked`,
      );
    }
    const tax = amount === left ? line.taxMinor - done.taxMinor : taxOf(amount, line.taxRateBp);
    drafts.push({
      lineNo: drafts.length + 1,
      kind: 'correction',
      description: `Correction of ${invoiceId} line ${line.lineNo}: ${line.description}`,
      quantity: 1,
      unitMinor: -amount,
      amountMinor: -amount,
      taxRateBp: line.taxRateBp,
      taxMinor: -tax,
      contractId: line.contractId,
      bookingId: line.bookingId,
      chargeId: line.chargeId,
      periodStart: line.periodStart,
      periodEnd: line.periodEnd,
      correctsLineNo: line.lineNo,
    });
  }
  if (!drafts.length) throw new DomainError(ErrorCode.Conflict, `${invoiceId} has nothing left to credit`);
  return drafts;
}
