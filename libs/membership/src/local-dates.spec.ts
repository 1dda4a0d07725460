import {
  addDays,
  addMonthsClamped,
  daysBetween,
  isLocalDate,
  localDateOf,
  startOfLocalDate,
} from './local-dates';

describe('local dates', () => {
  it('accepts only real calendar dates', () => {
    expect(isLocalDate('2026-02-28')).toBe(true);
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2026-04-31')).toBe(false);
    expect(isLocalDate('2026-4-1')).toBe(false);
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-01-31', 30)).toBe('2026-03-02');
    expect(addDays('2028-01-31', 30)).toBe('2028-03-01');
    expect(addDays('2026-12-15', 30)).toBe('2027-01-14');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-01-31', '2026-03-02')).toBe(30);
  });

  it('adds months keeping the anchor day, clamped to short months', () => {
    expect(addMonthsClamped('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonthsClamped('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonthsClamped('2026-01-31', 2)).toBe('2026-03-31');
    expect(addMonthsClamped('2026-08-31', 1)).toBe('2026-09-30');
    expect(addMonthsClamped('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonthsClamped('2026-03-15', -3)).toBe('2025-12-15');
  });

  it('reads the local date of an instant in the site zone', () => {
    // 23:30 UTC on Mar 9 is already Mar 10 in Madrid, still Mar 9 in New York.
    const instant = new Date('2026-03-09T23:30:00Z');
    expect(localDateOf(instant, 'Europe/Madrid')).toBe('2026-03-10');
    expect(localDateOf(instant, 'America/New_York')).toBe('2026-03-09');
  });

  it('finds local midnight, also on DST change days', () => {
    expect(startOfLocalDate('2026-01-15', 'Europe/Madrid').toISOString()).toBe('2026-01-14T23:00:00.000Z');
    expect(startOfLocalDate('2026-07-15', 'Europe/Madrid').toISOString()).toBe('2026-07-14T22:00:00.000Z');
    // Spring forward in Madrid (Mar 29 2026, 02:00 -> 03:00): the day still begins at 00:00 CET.
    expect(startOfLocalDate('2026-03-29', 'Europe/Madrid').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfLocalDate('2026-03-30', 'Europe/Madrid').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    // Santiago skips midnight itself (Sep 6 2026, 00:00 -> 01:00): the day begins at 01:00 local.
    expect(startOfLocalDate('2026-09-06', 'America/Santiago').toISOString()).toBe('2026-09-06T04:00:00.000Z');
  });
});
