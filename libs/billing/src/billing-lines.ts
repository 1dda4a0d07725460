import { BillingPeriod, overlapDays, prorate } from './proration';
import { daysBetween, localDate } from './local-dates';
import { totalsPerLine, InvoiceTotals } from './tax';

export type LineKind = 'membership' | 'proration' | 'usage' | 'one_off' | 'pass' | 'correction';

export interface ContractToBill {
  id: string;
  memberId: string;
  memberName: string;
  planName: string;
  priceMinor: number;
  startDate: string;
  endDate: string | null;
}

export interface UsageToBill {
  bookingId: string;
  /** null: a guest's booking, invoiced to the guest on its own. */
  memberId: string | null;
  resourceName: string;
  start: Date;
  chargeMinor: number;
}

export interface ChargeToBill {
  id: string;
  memberId: string;
  description: string;
  amountMinor: number;
  chargeDate: string;
}

export interface DraftLine {
  lineNo: number;
  kind: LineKind;
  description: string;
  quantity: number;
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

export interface BillingInput {
  period: BillingPeriod;
  timeZone: string;
  taxRateBp: number;
  contracts: ContractToBill[];
  usage: UsageToBill[];
  charges: ChargeToBill[];
}

// Passes are sold as one-off charges named after what was sold (credits lib): the line says what it was.
const PASS_DESCRIPTION = /^(day pass|hour pack)\b/i;

const clampEnd = (period: BillingPeriod, end: string | null) =>
  end === null || end > period.end ? period.end : end;

function membershipLine(c: ContractToBill, input: BillingInput): Omit<DraftLine, 'lineNo' | 'taxMinor'> {
  const { period } = input;
  const periodDays = daysBetween(period.start, period.end);
  const days = overlapDays(period, { start: c.startDate, end: c.endDate });
  const amountMinor = prorate(c.priceMinor, period, { start: c.startDate, end: c.endDate });
  const from = c.startDate > period.start ? c.startDate : period.start;
  const to = clampEnd(period, c.endDate);
  const full = days === periodDays;
  return {
    kind: full ? 'membership' : 'proration',
    description: full
      ? `${c.planName}, ${c.memberName}, ${period.start} to ${period.end} (exclusive)`
      : `${c.planName}, ${c.memberName}, ${from} to ${to} (exclusive): ${days} of ${periodDays} days`,
    quantity: 1,
    unitMinor: amountMinor,
    amountMinor,
    taxRateBp: input.taxRateBp,
    contractId: c.id,
    bookingId: null,
    chargeId: null,
    periodStart: from,
    periodEnd: to,
    correctsLineNo: null,
  };
}

/**
 * The lines of one buyer's invoice for a period, in a stable order (memberships by member and start, then usage by
 * booking start, then charges by date), each taxed on its own (per-line rounding, see tax.ts).
 */
export function buildInvoiceLines(input: BillingInput): { lines: DraftLine[]; totals: InvoiceTotals } {
  const contracts = [...input.contracts].sort(
    (a, b) =>
      a.memberId.localeCompare(b.memberId) ||
      a.startDate.localeCompare(b.startDate) ||
      a.id.localeCompare(b.id),
  );
  const usage = [...input.usage].sort(
    (a, b) => a.start.getTime() - b.start.getTime() || a.bookingId.localeCompare(b.bookingId),
  );
  const charges = [...input.charges].sort(
    (a, b) => a.chargeDate.localeCompare(b.chargeDate) || a.id.localeCompare(b.id),
  );
  const drafts: Omit<DraftLine, 'lineNo' | 'taxMinor'>[] = [
    ...contracts.map((c) => membershipLine(c, input)),
    ...usage.map((u) => ({
      kind: 'usage' as const,
      description: `Booking of ${u.resourceName} on ${localDate(u.start, input.timeZone)} (${u.bookingId})`,
      quantity: 1,
      unitMinor: u.chargeMinor,
      amountMinor: u.chargeMinor,
      taxRateBp: input.taxRateBp,
      contractId: null,
      bookingId: u.bookingId,
      chargeId: null,
      periodStart: null,
      periodEnd: null,
      correctsLineNo: null,
    })),
    ...charges.map((c) => ({
      kind: PASS_DESCRIPTION.test(c.description) ? ('pass' as const) : ('one_off' as const),
      description: c.description,
      quantity: 1,
      unitMinor: c.amountMinor,
      amountMinor: c.amountMinor,
      taxRateBp: input.taxRateBp,
      contractId: null,
      bookingId: null,
      chargeId: c.id,
      periodStart: c.chargeDate,
      periodEnd: null,
      correctsLineNo: null,
    })),
  ];
  const { lineTaxes, ...totals } = totalsPerLine(drafts);
  return {
    lines: drafts.map((d, i) => ({ ...d, lineNo: i + 1, taxMinor: lineTaxes[i] })),
    totals,
  };
}
