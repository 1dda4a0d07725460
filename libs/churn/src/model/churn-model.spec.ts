import { ChurnModel, scoreFeatures } from './churn-model';
import { extractFeatures } from './features';
import { shiftDay } from './local-days';
import { MemberHistory } from './member-history';
import { CHURN_MODEL } from './weights';

const AS_OF = '2026-06-01';

/** Days (offsets before AS_OF) as local dates. */
const daysAgo = (...offsets: number[]) => offsets.map((o) => shiftDay(AS_OF, -o)).sort();
/** A visit every `every` days between `from` and `to` days ago (inclusive, from > to). */
const every = (every: number, from: number, to: number) => {
  const out: number[] = [];
  for (let d = from; d >= to; d -= every) out.push(d);
  return daysAgo(...out);
};

function history(overrides: Partial<MemberHistory> = {}): MemberHistory {
  return {
    memberId: 'm-1',
    planKind: 'flex_desk',
    memberSince: '2025-06-01',
    contract: {
      id: 'c-1',
      startDate: '2025-06-01',
      endDate: null,
      noticeGivenOn: null,
      renewed: false,
      priceMinor: 20000,
    },
    previousPriceMinor: null,
    visitDays: every(2, 84, 1),
    lastVisit: shiftDay(AS_OF, -1),
    bookingDays: every(7, 84, 1),
    overdue: { count: 0, amountMinor: 0, oldestDue: null },
    payments: { judged: 3, late: 0 },
    ...overrides,
  };
}

function features(h: MemberHistory) {
  const result = extractFeatures(h, AS_OF);
  if (!result.ok) throw new Error(result.reason);
  return result.features;
}

describe('extractFeatures', () => {
  it('compares the last four weeks with the eight before, per four weeks', () => {
    // previous 8 weeks: 16 visits (8 per 4 weeks); last 4 weeks: 2
    const f = features(history({ visitDays: [...every(3.5, 84, 29), ...daysAgo(20, 3)] }));
    expect(f.visits).toEqual({ recent: 2, previousPer4Weeks: 8, logRatio: Math.log(3 / 9) });
  });

  it('counts only history before the scoring day', () => {
    const f = features(history({ visitDays: [...daysAgo(5), AS_OF, shiftDay(AS_OF, 3)] }));
    expect(f.visits?.recent).toBe(1);
  });

  it('scales a short previous window and skips the trend when it is under two weeks', () => {
    // a member of 42 days: the previous window is 14 days with 7 visits -> 14 per 4 weeks
    const joined = history({ memberSince: shiftDay(AS_OF, -42), visitDays: every(2, 42, 30) });
    expect(features(joined).visits?.previousPer4Weeks).toBeCloseTo(14, 12);
    const newer = history({ memberSince: shiftDay(AS_OF, -35), visitDays: every(2, 35, 1) });
    expect(features(newer).visits).toBeNull();
  });

  it('gives no features, with the reason, to a member of under four weeks', () => {
    const result = extractFeatures(history({ memberSince: shiftDay(AS_OF, -10) }), AS_OF);
    expect(result).toEqual({
      ok: false,
      reason: `membership started 10 day(s) before ${AS_OF}; 28 days of history are needed`,
    });
    const future = extractFeatures(history({ memberSince: shiftDay(AS_OF, 3) }), AS_OF);
    expect(future.ok).toBe(false);
  });

  it('counts days without a visit from the last visit, or from joining when there was none', () => {
    expect(features(history({ lastVisit: shiftDay(AS_OF, -1) })).daysSinceLastVisit).toBe(0);
    expect(features(history({ lastVisit: shiftDay(AS_OF, -11) })).daysSinceLastVisit).toBe(10);
    const never = history({ memberSince: shiftDay(AS_OF, -50), lastVisit: null, visitDays: [] });
    expect(features(never).daysSinceLastVisit).toBe(50);
  });

  it('ignores visits on plans whose holders are not expected to come in', () => {
    const f = features(history({ planKind: 'virtual_office', lastVisit: null, visitDays: [] }));
    expect(f.visits).toBeNull();
    expect(f.daysSinceLastVisit).toBeNull();
  });

  it('flags a known end only when nothing follows it, and a recent move to a cheaper plan', () => {
    const ending = (renewed: boolean) =>
      history({
        contract: { ...history().contract, endDate: '2026-06-30', noticeGivenOn: '2026-05-20', renewed },
      });
    expect(features(ending(false))).toMatchObject({ daysToEnd: 29, noticeGiven: true });
    expect(features(ending(true)).daysToEnd).toBeNull();
    const downgraded = history({
      contract: { ...history().contract, startDate: shiftDay(AS_OF, -30), priceMinor: 15000 },
      previousPriceMinor: 20000,
    });
    expect(features(downgraded).downgradeShare).toBeCloseTo(0.25, 12);
    const longAgo = history({
      contract: { ...history().contract, startDate: shiftDay(AS_OF, -120), priceMinor: 15000 },
      previousPriceMinor: 20000,
    });
    expect(features(longAgo).downgradeShare).toBe(0);
    const upgraded = history({
      contract: { ...history().contract, startDate: shiftDay(AS_OF, -30) },
      previousPriceMinor: 9000,
    });
    expect(features(upgraded).downgradeShare).toBe(0);
  });

  it('measures overdue invoices by count, amount and the age of the oldest', () => {
    const f = features(
      history({ overdue: { count: 2, amountMinor: 48400, oldestDue: shiftDay(AS_OF, -45) } }),
    );
    expect(f).toMatchObject({ overdueCount: 2, overdueAmountMinor: 48400, overdueAgeDays: 45 });
    const habits = features(history({ payments: { judged: 5, late: 2 } }));
    expect(habits).toMatchObject({ lateInvoices: 2, judgedInvoices: 5 });
  });
});

describe('scoreFeatures', () => {
  const unit: ChurnModel = {
    version: 'test',
    intercept: -2,
    weights: {
      visitDecline: 1,
      bookingDecline: 1,
      logDaysSinceVisit: 1,
      overdueInvoice: 1,
      overdueMonth: 1,
      latePayment: 1,
      contractEnding: 1,
      downgrade: 1,
    },
  };

  it('is the logistic of the intercept plus each factor contribution (hand-computed)', () => {
    // steady visits and bookings, last visit yesterday, one invoice 30 days overdue, contract ending in 29 days
    const f = features(
      history({
        visitDays: every(2, 84, 1),
        overdue: { count: 1, amountMinor: 100, oldestDue: shiftDay(AS_OF, -30) },
        contract: { ...history().contract, endDate: '2026-06-30', noticeGivenOn: '2026-05-01' },
      }),
    );
    const visitTerm = -f.visits!.logRatio;
    const bookingTerm = -f.bookings!.logRatio;
    const z = -2 + visitTerm + bookingTerm + Math.log1p(0) + (1 + 1) + 1 + 0;
    const scored = scoreFeatures(unit, f);
    expect(scored.probability).toBeCloseTo(1 / (1 + Math.exp(-z)), 12);
    expect(scored.score).toBe(Math.round(100 / (1 + Math.exp(-z))));
    expect(scored.factors[0]).toMatchObject({ factor: 'overdue_invoices', contribution: 2 });
    expect(scored.factors[1]).toMatchObject({ factor: 'contract_ending', contribution: 1 });
  });

  it('reports every factor, largest contribution first, with readable details', () => {
    const scored = scoreFeatures(CHURN_MODEL, features(history()));
    expect(scored.factors.map((f) => f.factor).sort()).toEqual(
      [
        'booking_trend',
        'contract_ending',
        'days_since_last_visit',
        'downgrade',
        'late_payments',
        'overdue_invoices',
        'visit_trend',
      ].sort(),
    );
    const contributions = scored.factors.map((f) => f.contribution);
    expect(contributions).toEqual([...contributions].sort((a, b) => b - a));
    expect(scored.factors.find((f) => f.factor === 'overdue_invoices')?.detail).toBe('no overdue invoice');
  });

  it('ranks a fading, late-paying member with notice given above a steady one', () => {
    const steady = scoreFeatures(CHURN_MODEL, features(history()));
    const fading = scoreFeatures(
      CHURN_MODEL,
      features(
        history({
          visitDays: [...every(2, 84, 29), ...daysAgo(25, 18)],
          lastVisit: shiftDay(AS_OF, -18),
          bookingDays: every(7, 84, 29),
          overdue: { count: 2, amountMinor: 40000, oldestDue: shiftDay(AS_OF, -40) },
          payments: { judged: 3, late: 2 },
          contract: { ...history().contract, endDate: '2026-06-30', noticeGivenOn: '2026-05-25' },
        }),
      ),
    );
    expect(fading.score).toBeGreaterThan(steady.score + 40);
    expect(steady.score).toBeLessThan(15);
    expect(fading.factors[0].contribution).toBeGreaterThan(0);
    for (const s of [steady, fading]) {
      expect(s.score).toBeGreaterThanOrEqual(0);
      expect(s.score).toBeLessThanOrEqual(100);
    }
  });

  it('moves the score monotonically with each risk signal', () => {
    const base = history();
    const scoreOf = (h: MemberHistory) => scoreFeatures(CHURN_MODEL, features(h)).probability;
    const p0 = scoreOf(base);
    expect(scoreOf({ ...base, lastVisit: shiftDay(AS_OF, -30) })).toBeGreaterThan(p0);
    expect(
      scoreOf({ ...base, overdue: { count: 1, amountMinor: 1, oldestDue: shiftDay(AS_OF, -5) } }),
    ).toBeGreaterThan(p0);
    expect(scoreOf({ ...base, visitDays: every(2, 84, 29) })).toBeGreaterThan(p0);
    expect(scoreOf({ ...base, bookingDays: every(7, 84, 29) })).toBeGreaterThan(p0);
    expect(scoreOf({ ...base, payments: { judged: 3, late: 2 } })).toBeGreaterThan(p0);
    expect(
      scoreOf({
        ...base,
        contract: { ...base.contract, startDate: shiftDay(AS_OF, -20), priceMinor: 10000 },
        previousPriceMinor: 20000,
      }),
    ).toBeGreaterThan(p0);
  });
});
