import { closingTimes, lastClosingTime, nextClosingTime, WeeklySlot } from './site-hours';

const iso = (ms: number[]) => ms.map((t) => new Date(t).toISOString());
const at = (s: string) => Date.parse(s);
const weekdays = (open: string, close: string): WeeklySlot[] =>
  (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, open, close }));

describe('closingTimes', () => {
  it('gives each local close of the week in UTC', () => {
    const closes = closingTimes(
      weekdays('08:00', '20:00'),
      'Europe/Madrid',
      at('2026-03-08T00:00:00Z'),
      at('2026-03-15T00:00:00Z'),
    );
    expect(iso(closes)).toEqual([
      '2026-03-09T19:00:00.000Z',
      '2026-03-10T19:00:00.000Z',
      '2026-03-11T19:00:00.000Z',
      '2026-03-12T19:00:00.000Z',
      '2026-03-13T19:00:00.000Z',
    ]);
  });

  it('keeps the local close across the spring change (20:00 is 19:00Z before, 18:00Z after)', () => {
    const slots: WeeklySlot[] = [
      ...weekdays('08:00', '20:00'),
      { day: 'sun', open: '10:00', close: '20:00' },
    ];
    const closes = closingTimes(
      slots,
      'Europe/Madrid',
      at('2026-03-27T00:00:00Z'),
      at('2026-03-31T00:00:00Z'),
    );
    expect(iso(closes)).toEqual([
      '2026-03-27T19:00:00.000Z', // Friday, CET
      '2026-03-29T18:00:00.000Z', // Sunday, the day of the change, CEST
      '2026-03-30T18:00:00.000Z',
    ]);
  });

  it('keeps the local close across the autumn change', () => {
    const slots: WeeklySlot[] = [
      { day: 'sat', open: '09:00', close: '14:00' },
      { day: 'sun', open: '09:00', close: '14:00' },
    ];
    const closes = closingTimes(
      slots,
      'Europe/Madrid',
      at('2026-10-24T00:00:00Z'),
      at('2026-10-26T00:00:00Z'),
    );
    expect(iso(closes)).toEqual(['2026-10-24T12:00:00.000Z', '2026-10-25T13:00:00.000Z']);
  });

  it('moves a close that falls in the skipped hour to the same wall time after the jump', () => {
    // New York, 8 March 2026: 02:00 EST jumps to 03:00 EDT, so 02:30 never shows; it closes at 03:30 EDT.
    const closes = closingTimes(
      [{ day: 'sun', open: '00:00', close: '02:30' }],
      'America/New_York',
      at('2026-03-07T00:00:00Z'),
      at('2026-03-09T00:00:00Z'),
    );
    expect(iso(closes)).toEqual(['2026-03-08T07:30:00.000Z']);
  });

  it('closes at 24:00 at the next local midnight, unless the next day opens at 00:00', () => {
    const late: WeeklySlot[] = [{ day: 'fri', open: '18:00', close: '24:00' }];
    expect(
      iso(closingTimes(late, 'Europe/Madrid', at('2026-03-13T00:00:00Z'), at('2026-03-15T00:00:00Z'))),
    ).toEqual(['2026-03-13T23:00:00.000Z']);
    const overnight: WeeklySlot[] = [...late, { day: 'sat', open: '00:00', close: '04:00' }];
    expect(
      iso(closingTimes(overnight, 'Europe/Madrid', at('2026-03-13T00:00:00Z'), at('2026-03-15T00:00:00Z'))),
    ).toEqual(['2026-03-14T03:00:00.000Z']);
  });

  it('does not count a split day (close then reopen at the same minute) as a close', () => {
    const split: WeeklySlot[] = [
      { day: 'mon', open: '08:00', close: '14:00' },
      { day: 'mon', open: '14:00', close: '20:00' },
    ];
    expect(
      iso(closingTimes(split, 'Europe/Madrid', at('2026-03-09T00:00:00Z'), at('2026-03-10T00:00:00Z'))),
    ).toEqual(['2026-03-09T19:00:00.000Z']);
  });

  it('has no close for a site without opening hours', () => {
    expect(nextClosingTime([], 'Europe/Madrid', at('2026-03-09T00:00:00Z'))).toBeNull();
    expect(lastClosingTime([], 'Europe/Madrid', at('2026-03-09T00:00:00Z'))).toBeNull();
  });

  it('finds the next and the last close around an instant', () => {
    const slots = weekdays('08:00', '20:00');
    // Friday 13 March, 21:00 Madrid: the last close was at 20:00, the next is Monday's.
    const now = at('2026-03-13T20:00:00Z');
    expect(new Date(lastClosingTime(slots, 'Europe/Madrid', now)!).toISOString()).toBe(
      '2026-03-13T19:00:00.000Z',
    );
    expect(new Date(nextClosingTime(slots, 'Europe/Madrid', now)!).toISOString()).toBe(
      '2026-03-16T19:00:00.000Z',
    );
    // Exactly at a close, that close is the last one, not the next.
    const close = at('2026-03-13T19:00:00Z');
    expect(lastClosingTime(slots, 'Europe/Madrid', close)).toBe(close);
    expect(nextClosingTime(slots, 'Europe/Madrid', close)).toBe(at('2026-03-16T19:00:00Z'));
  });
});
