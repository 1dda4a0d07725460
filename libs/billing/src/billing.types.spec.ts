import { groupByBuyer, PendingWork, scopeOf } from './billing.types';

const contract = (id: string, memberId: string, companyId: string | null) => ({
  id,
  memberId,
  companyId,
  memberName: memberId,
  planName: 'Flex',
  priceMinor: 100,
  startDate: '2024-01-01',
  endDate: null,
});

describe('groupByBuyer', () => {
  it("sends company contracts to the company and members' usage and charges to whoever pays their contract", () => {
    const work: PendingWork = {
      contracts: [contract('c1', 'm1', 'acme'), contract('c2', 'm2', 'acme'), contract('c3', 'm3', null)],
      usage: [{ bookingId: 'b1', memberId: 'm1', resourceName: 'R', start: new Date(0), chargeMinor: 5 }],
      charges: [
        { id: 'x1', memberId: 'm3', description: 'Badge', amountMinor: 1, chargeDate: '2024-06-01' },
        { id: 'x2', memberId: 'm9', description: 'Day pass: Day', amountMinor: 1, chargeDate: '2024-06-01' },
      ],
      payerOfMember: new Map([
        ['m1', 'acme'],
        ['m2', 'acme'],
        ['m3', null],
      ]),
    };
    const groups = groupByBuyer(work);
    expect(
      groups.map((g) => [g.buyer, g.contracts.map((c) => c.id), g.usage.length, g.charges.map((c) => c.id)]),
    ).toEqual([
      [{ type: 'company', id: 'acme' }, ['c1', 'c2'], 1, []],
      [{ type: 'member', id: 'm3' }, ['c3'], 0, ['x1']],
      [{ type: 'member', id: 'm9' }, [], 0, ['x2']],
    ]);
    expect(scopeOf(groups[0])).toEqual({ memberIds: ['m1', 'm2'], guestBookingIds: [] });
  });

  it("invoices each guest's booking on its own, apart from members' work", () => {
    const usage = (bookingId: string, memberId: string | null) => ({
      bookingId,
      memberId,
      resourceName: 'R',
      start: new Date(0),
      chargeMinor: 5,
    });
    const groups = groupByBuyer({
      contracts: [],
      usage: [usage('g2', null), usage('b1', 'm1'), usage('g1', null)],
      charges: [],
      payerOfMember: new Map([['m1', null]]),
    });
    expect(groups.map((g) => [g.buyer, g.usage.map((u) => u.bookingId)])).toEqual([
      [{ type: 'guest', id: 'g1' }, ['g1']],
      [{ type: 'guest', id: 'g2' }, ['g2']],
      [{ type: 'member', id: 'm1' }, ['b1']],
    ]);
    expect(scopeOf(groups[0])).toEqual({ memberIds: [], guestBookingIds: ['g1'] });
  });
});
