import {
  addMonths,
  daysOfMonth,
  isMonth,
  localDay,
  localMonth,
  monthLabel,
  monthsEndingWith,
  previousMonth,
} from './month';

describe('months', () => {
  it('accepts YYYY-MM only', () => {
    expect(isMonth('2025-03')).toBe(true);
    for (const bad of ['2025-3', '2025-13', '2025-00', '25-03', '2025-03-01', ''])
      expect(isMonth(bad)).toBe(false);
    expect(() => addMonths('2025-13', 1)).toThrow(/YYYY-MM/);
  });

  it('steps across years both ways', () => {
    expect(previousMonth('2025-01')).toBe('2024-12');
    expect(addMonths('2024-12', 1)).toBe('2025-01');
    expect(addMonths('2025-03', -15)).toBe('2023-12');
    expect(monthsEndingWith('2025-02', 3)).toEqual(['2024-12', '2025-01', '2025-02']);
  });

  it('lists the days of a month, leap years included', () => {
    expect(daysOfMonth('2024-02')).toHaveLength(29);
    expect(daysOfMonth('2025-02')).toHaveLength(28);
    expect(daysOfMonth('2025-03')[30]).toBe('2025-03-31');
  });

  it('reads the local day and month in the site zone, not UTC', () => {
    const instant = new Date('2025-03-31T22:30:00Z');
    expect(localDay(instant, 'UTC')).toBe('2025-03-31');
    expect(localDay(instant, 'Europe/Madrid')).toBe('2025-04-01');
    expect(localMonth(instant, 'Europe/Madrid')).toBe('2025-04');
    expect(localMonth(instant, 'America/New_York')).toBe('2025-03');
  });

  it('labels a month for people', () => {
    expect(monthLabel('2025-03')).toBe('March 2025');
  });
});
