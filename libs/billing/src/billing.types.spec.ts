import { groupByBuyer, membersOf, PendingWork } from './billing.types';

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
    expect(membersOf(groups[0])).toEqual(['m1', 'm2']);
  });
});
