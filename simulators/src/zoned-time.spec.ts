import { addDays, dayWindow, HOUR_MS, localDate, localMinutes, weekdayOf, zonedInstant } from './zoned-time';

const MADRID = 'Europe/Madrid';

describe('zoned time', () => {
  it('maps local times to instants in winter and summer', () => {
    expect(new Date(zonedInstant('2026-03-04', 9 * 60, MADRID)).toISOString()).toBe(
      '2026-03-04T08:00:00.000Z',
    );
    expect(new Date(zonedInstant('2026-07-01', 9 * 60, MADRID)).toISOString()).toBe(
      '2026-07-01T07:00:00.000Z',
    );
    expect(new Date(zonedInstant('2026-03-04', 9 * 60, 'America/New_York')).toISOString()).toBe(
      '2026-03-04T14:00:00.000Z',
    );
  });

  it('reads the local date and time of an instant', () => {
    const instant = new Date('2026-03-04T23:30:00Z');
    expect(localDate(instant, MADRID)).toBe('2026-03-05');
    expect(localMinutes(instant, MADRID)).toBe(30);
    expect(localMinutes(new Date('2026-03-04T08:15:30.000Z'), MADRID)).toBe(9 * 60 + 15.5);
  });

  it('makes days 23 and 25 hours long when the clocks change', () => {
    const length = (date: string): number => {
      const w = dayWindow(date, MADRID);
      return (w.end - w.start) / HOUR_MS;
    };
    expect(length('2026-03-04')).toBe(24);
    expect(length('2026-03-29')).toBe(23);
    expect(length('2026-10-25')).toBe(25);
  });

  it('knows weekdays and adds days across months and years', () => {
    expect(weekdayOf('2026-03-04')).toBe('wed');
    expect(weekdayOf('2026-03-08')).toBe('sun');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(() => weekdayOf('4 March')).toThrow('YYYY-MM-DD');
  });
});
