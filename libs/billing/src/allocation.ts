import { DomainError, ErrorCode, invalid } from '@cw/common';

export interface OpenInvoice {
  id: string;
  balanceMinor: number;
  dueDate: string;
  issueDate: string;
  series: string;
  number: number;
}

export interface Allocation {
  invoiceId: string;
  amountMinor: number;
}

export interface AllocationPlan {
  allocations: Allocation[];
  /** What the payment leaves on account, for a later invoice or a refund. */
  unallocatedMinor: number;
}

const oldestFirst = (a: OpenInvoice, b: OpenInvoice) =>
  a.dueDate.localeCompare(b.dueDate) ||
  a.issueDate.localeCompare(b.issueDate) ||
  a.series.localeCompare(b.series) ||
  a.number - b.number;

/** Pays the buyer's open invoices oldest due first, each up to its balance, until the amount runs out. */
export function allocateOldestFirst(amountMinor: number, invoices: OpenInvoice[]): AllocationPlan {
  let left = amountMinor;
  const allocations: Allocation[] = [];
  for (const invoice of [...invoices].sort(oldestFirst)) {
    if (left <= 0) break;
    if (invoice.balanceMinor <= 0) continue;
    const amount = Math.min(left, invoice.balanceMinor);
    allocations.push({ invoiceId: invoice.id, amountMinor: amount });
    left -= amount;
  }
  return { allocations, unallocatedMinor: left };
}

/**
 * Checks allocations the caller named: each to an open invoice of the buyer, none above its balance, together not
 * above the payment. Over-allocation is refused (409) rather than trimmed: the caller meant something else.
 */
export function checkExplicitAllocations(
  amountMinor: number,
  requested: Allocation[],
  invoices: OpenInvoice[],
): AllocationPlan {
  const byId = new Map(invoices.map((i) => [i.id, i]));
  const seen = new Set<string>();
  const unknown = requested
    .map((a, index) => ({ a, index }))
    .filter(({ a }) => !byId.has(a.invoiceId))
    .map(({ a, index }) => ({
      path: `allocations.${index}.invoice`,
      message: `invoice ${a.invoiceId} is not an invoice of this buyer`,
    }));
  if (unknown.length) throw invalid('allocations name invoices the payment cannot pay', unknown);
  const duplicates = requested
    .map((a, index) => ({ a, index }))
    .filter(({ a }) => (seen.has(a.invoiceId) ? true : (seen.add(a.invoiceId), false)))
    .map(({ index }) => ({ path: `allocations.${index}.invoice`, message: 'invoice named twice' }));
  if (duplicates.length) throw invalid('allocations name an invoice twice', duplicates);
  for (const a of requested) {
    const invoice = byId.get(a.invoiceId) as OpenInvoice;
    if (a.amountMinor > invoice.balanceMinor) {
      throw new DomainError(
        ErrorCode.Conflict,
        `allocation of ${a.amountMinor} to ${a.invoiceId} exceeds its balance of ${invoice.balanceMinor}`,
      );
    }
  }
  const total = requested.reduce((sum, a) => sum + a.amountMinor, 0);
  if (total > amountMinor) {
    throw new DomainError(
      ErrorCode.Conflict,
      `allocations total ${total}, more than the payment of ${amountMinor}`,
    );
  }
  return { allocations: requested, unallocatedMinor: amountMinor - total };
}
