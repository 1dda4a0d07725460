import { ContractRow, DaysRow, OverdueRow } from './churn.repository';
import { MemberHistory } from './model/member-history';

const byMember = (rows: DaysRow[]) => new Map(rows.map((r) => [r.member_id, r.days]));

function rowsOf(
  contract: ContractRow,
  byMemberRows: Map<string, OverdueRow>,
  byCompany: Map<string, OverdueRow>,
): OverdueRow[] {
  return [
    byMemberRows.get(contract.member_id),
    contract.company_id ? byCompany.get(contract.company_id) : undefined,
  ].filter((r): r is OverdueRow => r !== undefined);
}

function overdueOf(
  contract: ContractRow,
  byMemberRows: Map<string, OverdueRow>,
  byCompany: Map<string, OverdueRow>,
): MemberHistory['overdue'] {
  const rows = rowsOf(contract, byMemberRows, byCompany);
  const oldest = rows.flatMap((r) => (r.oldest_due ? [r.oldest_due] : [])).sort()[0] ?? null;
  return {
    count: rows.reduce((sum, r) => sum + r.count, 0),
    amountMinor: rows.reduce((sum, r) => sum + Number(r.amount_minor), 0),
    oldestDue: oldest,
  };
}

/**
 * Joins the per-site reads into one plain history per member with an active contract. A company's unpaid invoice
 * (one that names no member) weighs on every member whose contract bills that company.
 */
export function assembleHistories(
  contracts: ContractRow[],
  visits: DaysRow[],
  bookings: DaysRow[],
  overdue: OverdueRow[],
): MemberHistory[] {
  const visitMap = byMember(visits);
  const bookingMap = byMember(bookings);
  const overdueByMember = new Map(overdue.filter((r) => r.member_id).map((r) => [r.member_id as string, r]));
  const overdueByCompany = new Map(
    overdue.filter((r) => !r.member_id && r.company_id).map((r) => [r.company_id as string, r]),
  );
  return contracts.map((c) => {
    const visitDays = visitMap.get(c.member_id) ?? [];
    return {
      memberId: c.member_id,
      planKind: c.plan_kind,
      memberSince: c.member_since,
      contract: {
        id: c.contract_id,
        startDate: c.start_date,
        endDate: c.end_date,
        noticeGivenOn: c.notice_on,
        renewed: c.renewed,
        priceMinor: c.price_minor,
      },
      previousPriceMinor: c.previous_price,
      visitDays,
      lastVisit: visitDays.length > 0 ? visitDays[visitDays.length - 1] : null,
      bookingDays: bookingMap.get(c.member_id) ?? [],
      overdue: overdueOf(c, overdueByMember, overdueByCompany),
      payments: rowsOf(c, overdueByMember, overdueByCompany).reduce(
        (sum, r) => ({ judged: sum.judged + r.judged, late: sum.late + r.late }),
        { judged: 0, late: 0 },
      ),
    };
  });
}
