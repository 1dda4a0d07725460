import { ContractRow, OverdueRow } from './churn.repository';
import { assembleHistories } from './member-histories';

const contract = (member: string, company: string | null): ContractRow => ({
  member_id: member,
  company_id: company,
  contract_id: `c-${member}`,
  plan_kind: 'flex_desk',
  start_date: '2026-01-01',
  price_minor: 20000,
  end_date: null,
  notice_on: null,
  renewed: false,
  member_since: '2026-01-01',
  previous_price: null,
});

const owed = (
  member: string | null,
  company: string | null,
  count: number,
  oldest: string | null,
): OverdueRow => ({
  member_id: member,
  company_id: company,
  count,
  amount_minor: String(count * 1000),
  oldest_due: oldest,
  judged: 2,
  late: count,
});

describe('assembleHistories', () => {
  it("adds a company's unpaid invoices to each member it bills, beside the member's own", () => {
    const [a, b, c] = assembleHistories(
      [contract('a', 'acme'), contract('b', 'acme'), contract('c', null)],
      [{ member_id: 'a', days: ['2026-03-01', '2026-03-04'] }],
      [{ member_id: 'b', days: ['2026-03-02'] }],
      [owed('a', null, 1, '2026-02-15'), owed(null, 'acme', 2, '2026-01-15'), owed('c', null, 0, null)],
    );
    expect(a.overdue).toEqual({ count: 3, amountMinor: 3000, oldestDue: '2026-01-15' });
    expect(a.payments).toEqual({ judged: 4, late: 3 });
    expect(b.overdue).toEqual({ count: 2, amountMinor: 2000, oldestDue: '2026-01-15' });
    expect(c.overdue).toEqual({ count: 0, amountMinor: 0, oldestDue: null });
    expect(c.payments).toEqual({ judged: 2, late: 0 });
  });

  it('takes the last visit from the visit days and leaves members without any empty', () => {
    const [a, b] = assembleHistories(
      [contract('a', null), contract('b', null)],
      [{ member_id: 'a', days: ['2026-03-01', '2026-03-04'] }],
      [{ member_id: 'b', days: ['2026-03-02', '2026-03-02'] }],
      [],
    );
    expect(a).toMatchObject({
      lastVisit: '2026-03-04',
      visitDays: ['2026-03-01', '2026-03-04'],
      bookingDays: [],
    });
    expect(b).toMatchObject({ lastVisit: null, visitDays: [], bookingDays: ['2026-03-02', '2026-03-02'] });
    expect(b.overdue).toEqual({ count: 0, amountMinor: 0, oldestDue: null });
  });
});
