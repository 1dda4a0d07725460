/** The `data` of an `invoice.overdue` webhook: one reminder level reached by an unpaid invoice. */
export interface InvoiceOverdue {
  siteId: string;
  invoiceId: string;
  series: string;
  number: number;
  memberId: string | null;
  companyId: string | null;
  level: number;
  dueDate: string;
  balanceMinor: number;
  currency: string;
  sentAt: string;
}
