import { addDays, creditPeriodOf, localDate, monthOf, weekdayOf, zonedInstant } from './zoned-time';

const MADRID = 'Europe/Madrid';

describe('zoned time', () => {
  it('reads the local date of an instant in the site zone', () => {
    // 23:30 UTC on 31 Jan is already 1 Feb in Madrid (UTC+1)
    expect(localDate(new Date('2026-01-31T23:30:00Z'), MADRID)).toBe('2026-02-01');
    expect(localDate(new Date('2026-01-31T22:59:59Z'), MADRID)).toBe('2026-01-31');
    expect(localDate(new Date('2026-01-31T23:30:00Z'), 'America/New_York')).toBe('2026-01-31');
  });

  it('places wall-clock times on both sides of the DST changes', () => {
    // winter: UTC+1; summer: UTC+2 (clocks go forward on 29 Mar 2026 and back on 25 Oct 2026)
    expect(zonedInstant('2026-03-28', '09:00', MADRID).toISOString()).toBe('2026-03-28T08:00:00.000Z');
    expect(zonedInstant('2026-03-29', '09:00', MADRID).toISOString()).toBe('2026-03-29T07:00:00.000Z');
    expect(zonedInstant('2026-10-25', '09:00', MADRID).toISOString()).toBe('2026-10-25T08:00:00.000Z');
    expect(zonedInstant('2026-10-24', '24:00', MADRID).toISOString()).toBe('2026-10-24T22:00:00.000Z');
    // 02:30 does not exist on 29 Mar in Madrid: it resolves one hour later on the wall (03:30 CEST)
    expect(zonedInstant('2026-03-29', '02:30', MADRID).toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('gives calendar months in the site zone as credit periods', () => {
    expect(creditPeriodOf(new Date('2026-01-31T23:30:00Z'), MADRID)).toEqual({
      start: '2026-02-01',
      end: '2026-03-01',
    });
    expect(monthOf('2026-12-15')).toEqual({ start: '2026-12-01', end: '2027-01-01' });
  });

  it('does date arithmetic on local dates', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(weekdayOf('2026-03-30')).toBe('mon');
    expect(weekdayOf('2026-03-29')).toBe('sun');
  });
});
