import { expandSlots, parseSlots, windowAt } from './weekly-hours';
import { addDays, localMoment, zonedInstant } from './zoned-time';

const iso = (ms: number) => new Date(ms).toISOString();
const at = (value: string) => Date.parse(value);

describe('site-local time', () => {
  it('reads the local date, weekday and minute of an instant', () => {
    // 23:30 UTC on Sunday 29 March 2026 is 01:30 on Monday in Madrid (CEST, UTC+2)
    expect(localMoment(at('2026-03-29T23:30:00Z'), 'Europe/Madrid')).toEqual({
      date: '2026-03-30',
      weekday: 'mon',
      minute: 90,
    });
    expect(localMoment(at('2026-03-29T23:30:30Z'), 'America/New_York').minute).toBe(19 * 60 + 30.5);
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });

  it('turns local wall times into instants, across both DST changes', () => {
    expect(iso(zonedInstant('2026-03-29', 8 * 60, 'Europe/Madrid'))).toBe('2026-03-29T06:00:00.000Z');
    expect(iso(zonedInstant('2026-03-28', 8 * 60, 'Europe/Madrid'))).toBe('2026-03-28T07:00:00.000Z');
    expect(iso(zonedInstant('2026-10-25', 8 * 60, 'Europe/Madrid'))).toBe('2026-10-25T07:00:00.000Z');
    // 02:30 does not exist on the spring-forward night: it lands an hour later, at 03:30 CEST
    expect(iso(zonedInstant('2026-03-29', 150, 'Europe/Madrid'))).toBe('2026-03-29T01:30:00.000Z');
    // 24:00 is the next local midnight
    expect(iso(zonedInstant('2026-10-24', 1440, 'Europe/Madrid'))).toBe('2026-10-24T22:00:00.000Z');
  });
});

describe('weekly hours', () => {
  it('keeps well-formed slots and drops the rest', () => {
    expect(
      parseSlots([
        { day: 'mon', open: '08:00', close: '20:00' },
        { day: 'funday', open: '08:00', close: '20:00' },
        { day: 'tue', open: '8:00', close: '20:00' },
        { day: 'wed', open: '00:00', close: '24:00' },
        'nonsense',
      ]),
    ).toEqual([
      { day: 'mon', open: '08:00', close: '20:00' },
      { day: 'wed', open: '00:00', close: '24:00' },
    ]);
    expect(parseSlots(null)).toEqual([]);
    expect(parseSlots({ day: 'mon' })).toEqual([]);
  });

  it('expands slots into windows, merging a day that ends at 24:00 with the next one starting at 00:00', () => {
    const slots = [
      { day: 'fri' as const, open: '20:00', close: '24:00' },
      { day: 'sat' as const, open: '00:00', close: '02:00' },
      { day: 'sat' as const, open: '10:00', close: '12:00' },
    ];
    const windows = expandSlots(slots, 'UTC', at('2026-03-13T00:00:00Z'), at('2026-03-15T00:00:00Z'));
    expect(windows.map((w) => [iso(w.from), iso(w.to)])).toEqual([
      ['2026-03-13T20:00:00.000Z', '2026-03-14T02:00:00.000Z'],
      ['2026-03-14T10:00:00.000Z', '2026-03-14T12:00:00.000Z'],
    ]);
  });

  it('clips to the range, and without slots the whole range is open', () => {
    const slots = [{ day: 'fri' as const, open: '08:00', close: '20:00' }];
    const clipped = expandSlots(slots, 'UTC', at('2026-03-13T12:00:00Z'), at('2026-03-13T13:00:00Z'));
    expect(clipped).toEqual([{ from: at('2026-03-13T12:00:00Z'), to: at('2026-03-13T13:00:00Z') }]);
    expect(expandSlots([], 'UTC', 10, 20)).toEqual([{ from: 10, to: 20 }]);
    expect(expandSlots(slots, 'UTC', 20, 10)).toEqual([]);
  });

  it('finds the window holding an instant, or none', () => {
    const slots = [{ day: 'fri' as const, open: '22:00', close: '06:00' }];
    // a night slot opened on Friday still holds Saturday 05:00, and ends at Saturday 06:00
    expect(windowAt(slots, 'UTC', at('2026-03-14T05:00:00Z'))).toEqual({
      from: at('2026-03-13T22:00:00Z'),
      to: at('2026-03-14T06:00:00Z'),
    });
    expect(windowAt(slots, 'UTC', at('2026-03-14T06:00:00Z'))).toBeUndefined();
  });
});
