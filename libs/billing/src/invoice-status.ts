import { daysBetween } from './local-dates';

export type InvoiceStatus = 'open' | 'paid' | 'overdue' | 'credited' | 'credit_note';

export interface BalanceInput {
  kind: 'invoice' | 'credit_note';
  totalMinor: number;
  /** Sum of payment allocations to the invoice. */
  paidMinor: number;
  /** Sum of the (positive) totals of credit notes correcting it. */
  creditedMinor: number;
  dueDate: string;
  /** Today in the site's zone. */
  today: string;
}

export interface InvoiceBalance {
  paidMinor: number;
  creditedMinor: number;
  balanceMinor: number;
  status: InvoiceStatus;
}

/**
 * Derived on read, never stored: the invoice row is immutable, its payment state is not. The balance is what is still
 * owed: total less allocated payments less credit notes (a credit note is the only way to lower what an issued
 * invoice asks for). Overdue: something owed after the due date.
 */
export function deriveBalance(input: BalanceInput): InvoiceBalance {
  if (input.kind === 'credit_note') {
    return { paidMinor: 0, creditedMinor: 0, balanceMinor: 0, status: 'credit_note' };
  }
  const balanceMinor = input.totalMinor - input.paidMinor - input.creditedMinor;
  const base = { paidMinor: input.paidMinor, creditedMinor: input.creditedMinor, balanceMinor };
  if (balanceMinor <= 0) {
    const credited = input.creditedMinor > 0 && input.creditedMinor >= input.totalMinor - input.paidMinor;
    return { ...base, status: credited && input.paidMinor === 0 ? 'credited' : 'paid' };
  }
  return { ...base, status: daysBetween(input.dueDate, input.today) > 0 ? 'overdue' : 'open' };
}

/** Reminder levels and the days after the due date each one is sent. */
export const REMINDER_DAYS = [
  { level: 1, days: 1 },
  { level: 2, days: 7 },
  { level: 3, days: 14 },
] as const;

/**
 * The reminder to send today, if any: the highest level due, once, and never a lower level after a higher one (a
 * sweep that missed days sends the current level, not the backlog).
 */
export function reminderToSend(dueDate: string, today: string, sentLevels: number[]): number | null {
  const overdueDays = daysBetween(dueDate, today);
  const due = [...REMINDER_DAYS].reverse().find((r) => overdueDays >= r.days);
  if (!due) return null;
  const highestSent = sentLevels.length ? Math.max(...sentLevels) : 0;
  return due.level > highestSent ? due.level : null;
}
