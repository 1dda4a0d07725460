import { datesOf, periodOf } from './period';

describe('periods', () => {
  it('gives the ISO week (Monday first) of a date', () => {
    expect(periodOf('week', '2026-03-04')).toEqual({ kind: 'week', from: '2026-03-02', to: '2026-03-08' });
    expect(periodOf('week', '2026-03-08')).toEqual({ kind: 'week', from: '2026-03-02', to: '2026-03-08' });
  });

  it('gives calendar months, leap February included, and years', () => {
    expect(periodOf('month', '2028-02-10')).toEqual({ kind: 'month', from: '2028-02-01', to: '2028-02-29' });
    expect(periodOf('month', '2026-12-31')).toEqual({ kind: 'month', from: '2026-12-01', to: '2026-12-31' });
    expect(periodOf('year', '2026-06-01')).toEqual({ kind: 'year', from: '2026-01-01', to: '2026-12-31' });
    expect(periodOf('day', '2026-06-01')).toEqual({ kind: 'day', from: '2026-06-01', to: '2026-06-01' });
  });

  it('lists every date of a period across a month end', () => {
    expect(datesOf({ from: '2026-02-27', to: '2026-03-02' })).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
  });
});
