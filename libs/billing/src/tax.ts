/**
 * Tax in integer minor units. Halves round away from zero, so a credit note's tax is exactly the negative of the tax
 * of what it corrects (half up for the positive amounts of invoices).
 */
export function taxOf(amountMinor: number, rateBp: number): number {
  if (!Number.isSafeInteger(amountMinor))
    throw new RangeError(`amount must be integer minor units: ${amountMinor}`);
  if (!Number.isInteger(rateBp) || rateBp < 0)
    throw new RangeError(`tax rate must be whole basis points: ${rateBp}`);
  const magnitude = BigInt(Math.abs(amountMinor)) * BigInt(rateBp);
  const rounded = Number((magnitude * 2n + 10_000n) / 20_000n);
  return amountMinor < 0 && rounded !== 0 ? -rounded : rounded;
}

export interface TaxableLine {
  amountMinor: number;
  taxRateBp: number;
}

export interface InvoiceTotals {
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
}

/**
 * Per-line rounding, the mode invoices use: each line carries its own rounded tax and the invoice's tax is their
 * sum, so every line printed on the invoice reconciles exactly with the totals, and a credit note for some lines
 * reverses exactly the tax those lines carried.
 */
export function totalsPerLine(lines: TaxableLine[]): InvoiceTotals & { lineTaxes: number[] } {
  const lineTaxes = lines.map((l) => taxOf(l.amountMinor, l.taxRateBp));
  const subtotalMinor = lines.reduce((sum, l) => sum + l.amountMinor, 0);
  const taxMinor = lineTaxes.reduce((sum, t) => sum + t, 0);
  return { subtotalMinor, taxMinor, totalMinor: subtotalMinor + taxMinor, lineTaxes };
}

/**
 * Per-invoice rounding: tax on the subtotal of each rate, rounded once. It can differ from the sum of line taxes by up
 * to half a minor unit per line; offered for jurisdictions or buyers that require it, not used for issued invoices.
 */
export function totalsPerInvoice(lines: TaxableLine[]): InvoiceTotals {
  const byRate = new Map<number, number>();
  for (const l of lines) byRate.set(l.taxRateBp, (byRate.get(l.taxRateBp) ?? 0) + l.amountMinor);
  const subtotalMinor = lines.reduce((sum, l) => sum + l.amountMinor, 0);
  let taxMinor = 0;
  for (const [rate, base] of byRate) taxMinor += taxOf(base, rate);
  return { subtotalMinor, taxMinor, totalMinor: subtotalMinor + taxMinor };
}
