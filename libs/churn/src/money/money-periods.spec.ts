import { lastDayOf, periodContaining } from './money-periods';

describe('periodContaining', () => {
  it('gives the day itself', () => {
    expect(periodContaining('day', '2026-03-29')).toEqual({
      kind: 'day',
      start: '2026-03-29',
      end: '2026-03-30',
    });
  });

  it('gives the Monday-to-Sunday week, across a month and a year end', () => {
    expect(periodContaining('week', '2026-03-29')).toEqual({
      kind: 'week',
      start: '2026-03-23',
      end: '2026-03-30',
    });
    expect(periodContaining('week', '2026-03-23').start).toBe('2026-03-23');
    expect(periodContaining('week', '2027-01-01')).toEqual({
      kind: 'week',
      start: '2026-12-28',
      end: '2027-01-04',
    });
  });

  it('gives the calendar month, December and February included', () => {
    expect(periodContaining('month', '2026-12-15')).toEqual({
      kind: 'month',
      start: '2026-12-01',
      end: '2027-01-01',
    });
    const feb = periodContaining('month', '2028-02-10');
    expect(feb).toEqual({ kind: 'month', start: '2028-02-01', end: '2028-03-01' });
    expect(lastDayOf(feb)).toBe('2028-02-29');
  });

  it('gives the calendar year', () => {
    expect(periodContaining('year', '2026-07-04')).toEqual({
      kind: 'year',
      start: '2026-01-01',
      end: '2027-01-01',
    });
  });

  it('refuses what is not a date', () => {
    expect(() => periodContaining('day', '2026-02-30')).toThrow(RangeError);
    expect(() => periodContaining('month', '2026-3-1')).toThrow(RangeError);
  });
});
