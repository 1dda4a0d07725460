import { buildInvoiceLines, BillingInput } from './billing-lines';

const june = { start: '2024-06-01', end: '2024-07-01' };
const input = (overrides: Partial<BillingInput>): BillingInput => ({
  period: june,
  timeZone: 'Europe/Madrid',
  taxRateBp: 2100,
  contracts: [],
  usage: [],
  charges: [],
  ...overrides,
});
const contract = { id: 'c1', memberId: 'm1', memberName: 'Ana', planName: 'Flex desk', priceMinor: 15000 };

describe('buildInvoiceLines', () => {
  it('bills a full month at the contract price as a membership line', () => {
    const { lines, totals } = buildInvoiceLines(
      input({ contracts: [{ ...contract, startDate: '2024-01-01', endDate: null }] }),
    );
    expect(lines).toEqual([
      expect.objectContaining({
        lineNo: 1,
        kind: 'membership',
        amountMinor: 15000,
        taxMinor: 3150,
        contractId: 'c1',
        periodStart: '2024-06-01',
        periodEnd: '2024-07-01',
      }),
    ]);
    expect(totals).toEqual({ subtotalMinor: 15000, taxMinor: 3150, totalMinor: 18150 });
  });

  it('prorates a plan change into two lines that cover the month once', () => {
    const { lines } = buildInvoiceLines(
      input({
        contracts: [
          {
            ...contract,
            id: 'c2',
            planName: 'Fixed desk',
            priceMinor: 30000,
            startDate: '2024-06-11',
            endDate: null,
          },
          { ...contract, startDate: '2024-01-01', endDate: '2024-06-11' },
        ],
      }),
    );
    expect(lines.map((l) => [l.contractId, l.kind, l.amountMinor, l.periodStart, l.periodEnd])).toEqual([
      ['c1', 'proration', 5000, '2024-06-01', '2024-06-11'],
      ['c2', 'proration', 20000, '2024-06-11', '2024-07-01'],
    ]);
    expect(lines[0].description).toContain('10 of 30 days');
  });

  it('adds usage by booking start (local date) and one-off charges, passes recognised by their description', () => {
    const { lines, totals } = buildInvoiceLines(
      input({
        usage: [
          {
            bookingId: 'b2',
            memberId: 'm1',
            resourceName: 'Room 2',
            start: new Date('2024-06-20T09:00:00Z'),
            chargeMinor: 999,
          },
          // 23:30 UTC on 30 June is 1 July in Madrid
          {
            bookingId: 'b1',
            memberId: 'm1',
            resourceName: 'Room 1',
            start: new Date('2024-05-30T23:30:00Z'),
            chargeMinor: 50,
          },
        ],
        charges: [
          {
            id: 'x2',
            memberId: 'm1',
            description: 'Day pass: Day',
            amountMinor: 2500,
            chargeDate: '2024-06-03',
          },
          {
            id: 'x1',
            memberId: 'm1',
            description: 'Printed badge',
            amountMinor: 500,
            chargeDate: '2024-06-02',
          },
        ],
      }),
    );
    expect(
      lines.map((l) => [l.lineNo, l.kind, l.bookingId ?? l.chargeId, l.amountMinor, l.taxMinor]),
    ).toEqual([
      [1, 'usage', 'b1', 50, 11],
      [2, 'usage', 'b2', 999, 210],
      [3, 'one_off', 'x1', 500, 105],
      [4, 'pass', 'x2', 2500, 525],
    ]);
    expect(lines[0].description).toContain('2024-05-31');
    expect(totals).toEqual({ subtotalMinor: 4049, taxMinor: 851, totalMinor: 4900 });
  });

  it('gives nothing for nothing to bill', () => {
    expect(buildInvoiceLines(input({}))).toEqual({
      lines: [],
      totals: { subtotalMinor: 0, taxMinor: 0, totalMinor: 0 },
    });
  });
});
