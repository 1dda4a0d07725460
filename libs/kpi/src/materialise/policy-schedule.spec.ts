import { isOpenAt, POLICIES_AT_LATEST_MS, POLICIES_EVERY_MS, policiesDue } from './policy-schedule';

const H = 3_600_000;
const T = Date.parse('2026-11-21T03:00:00Z');

describe('policiesDue', () => {
  it('waits a day between runs, and for every site to be closed', () => {
    expect(policiesDue(T - POLICIES_EVERY_MS + H, T, false, 0)).toBe(false);
    expect(policiesDue(T - POLICIES_EVERY_MS, T, false, 0)).toBe(true);
    expect(policiesDue(T - POLICIES_EVERY_MS, T, true, 0)).toBe(false);
  });

  it('runs whatever the hour once they are overdue, so a site that never closes cannot postpone them for ever', () => {
    expect(policiesDue(T - POLICIES_AT_LATEST_MS + 1, T, true, 0)).toBe(false);
    expect(policiesDue(T - POLICIES_AT_LATEST_MS, T, true, 0)).toBe(true);
  });

  it('counts a database that never ran them as a day old at boot: quiet hours first, at the latest 12 hours later', () => {
    expect(policiesDue(null, T, true, T)).toBe(false);
    expect(policiesDue(null, T, false, T)).toBe(true);
    expect(policiesDue(null, T + 11 * H, true, T)).toBe(false);
    expect(policiesDue(null, T + 12 * H, true, T)).toBe(true);
  });
});

describe('isOpenAt', () => {
  const open = [{ start: T, end: T + 8 * H }];
  it('is open inside an interval, closed at its end and outside', () => {
    expect(isOpenAt(open, true, T)).toBe(true);
    expect(isOpenAt(open, true, T + 8 * H)).toBe(false);
    expect(isOpenAt(open, true, T - 1)).toBe(false);
  });
  it('counts a site without opening hours as open: nothing says when it is quiet', () => {
    expect(isOpenAt([], false, T)).toBe(true);
  });
});
