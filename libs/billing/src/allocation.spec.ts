import fc from 'fast-check';
import { DomainError, ErrorCode } from '@cw/common';
import { allocateOldestFirst, checkExplicitAllocations, OpenInvoice } from './allocation';

const inv = (id: string, balanceMinor: number, dueDate: string, number = 1): OpenInvoice => ({
  id,
  balanceMinor,
  dueDate,
  issueDate: '2024-01-01',
  series: 'INV',
  number,
});

describe('allocateOldestFirst', () => {
  const open = [
    inv('b', 500, '2024-03-15', 2),
    inv('a', 300, '2024-02-15', 1),
    inv('c', 1000, '2024-04-15', 3),
  ];

  it('pays the oldest due invoice first, then the next', () => {
    expect(allocateOldestFirst(600, open)).toEqual({
      allocations: [
        { invoiceId: 'a', amountMinor: 300 },
        { invoiceId: 'b', amountMinor: 300 },
      ],
      unallocatedMinor: 0,
    });
  });

  it('keeps what is left after every open invoice is paid', () => {
    expect(allocateOldestFirst(2000, open).unallocatedMinor).toBe(200);
  });

  it('never allocates more than a balance or than the payment', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.array(fc.integer({ min: 0, max: 50_000 }), { maxLength: 10 }),
        (amount, balances) => {
          const invoices = balances.map((b, i) =>
            inv(`i${i}`, b, `2024-01-${String(10 + i).padStart(2, '0')}`, i),
          );
          const plan = allocateOldestFirst(amount, invoices);
          const total = plan.allocations.reduce((s, a) => s + a.amountMinor, 0);
          expect(total + plan.unallocatedMinor).toBe(amount);
          for (const a of plan.allocations) {
            expect(a.amountMinor).toBeGreaterThan(0);
            expect(a.amountMinor).toBeLessThanOrEqual(
              invoices.find((i) => i.id === a.invoiceId)!.balanceMinor,
            );
          }
        },
      ),
    );
  });
});

describe('checkExplicitAllocations', () => {
  const open = [inv('a', 300, '2024-02-15'), inv('b', 500, '2024-03-15')];

  it('accepts allocations within balances and the payment', () => {
    expect(checkExplicitAllocations(1000, [{ invoiceId: 'b', amountMinor: 500 }], open)).toEqual({
      allocations: [{ invoiceId: 'b', amountMinor: 500 }],
      unallocatedMinor: 500,
    });
  });

  const codeOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      return (error as DomainError).code;
    }
    return undefined;
  };

  it('refuses more than an invoice balance', () => {
    expect(codeOf(() => checkExplicitAllocations(1000, [{ invoiceId: 'a', amountMinor: 301 }], open))).toBe(
      ErrorCode.Conflict,
    );
  });

  it('refuses allocations above the payment', () => {
    const request = [
      { invoiceId: 'a', amountMinor: 300 },
      { invoiceId: 'b', amountMinor: 500 },
    ];
    expect(codeOf(() => checkExplicitAllocations(700, request, open))).toBe(ErrorCode.Conflict);
  });

  it('refuses invoices of another buyer and invoices named twice', () => {
    expect(codeOf(() => checkExplicitAllocations(100, [{ invoiceId: 'zz', amountMinor: 1 }], open))).toBe(
      ErrorCode.Validation,
    );
    const twice = [
      { invoiceId: 'a', amountMinor: 1 },
      { invoiceId: 'a', amountMinor: 1 },
    ];
    expect(codeOf(() => checkExplicitAllocations(100, twice, open))).toBe(ErrorCode.Validation);
  });
});
