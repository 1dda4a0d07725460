import {
  clip,
  hoursKey,
  openIntervals,
  openIntervalsOver,
  OpeningSlot,
  openSecondsByHourOfWeek,
  totalMs,
  versionsOver,
} from './opening-hours';
import { localDate, zonedInstant } from './zoned';

const MADRID = 'Europe/Madrid';
const H = 3_600_000;
const weekdays = (open: string, close: string): OpeningSlot[] =>
  (['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, open, close }));
const everyDay = (open: string, close: string): OpeningSlot[] =>
  (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((day) => ({ day, open, close }));

describe('open minutes per local day', () => {
  it('counts wall-clock hours: 08:00-20:00 is 12 real hours on the spring-forward Sunday too', () => {
    // 2026-03-29: Madrid moves from +01:00 to +02:00 at 02:00 local.
    const [day] = openIntervals(everyDay('08:00', '20:00'), MADRID, '2026-03-29', '2026-03-29');
    expect(new Date(day.start).toISOString()).toBe('2026-03-29T06:00:00.000Z');
    expect(new Date(day.end).toISOString()).toBe('2026-03-29T18:00:00.000Z');
    expect(totalMs([day]) / 60_000).toBe(720);
    const [before] = openIntervals(everyDay('08:00', '20:00'), MADRID, '2026-03-28', '2026-03-28');
    expect(new Date(before.start).toISOString()).toBe('2026-03-28T07:00:00.000Z');
  });

  it('a round-the-clock day lasts 23 hours in spring and 25 in autumn', () => {
    const spring = openIntervals(everyDay('00:00', '24:00'), MADRID, '2026-03-29', '2026-03-29');
    const autumn = openIntervals(everyDay('00:00', '24:00'), MADRID, '2026-10-25', '2026-10-25');
    expect(totalMs(spring) / 60_000).toBe(23 * 60);
    expect(totalMs(autumn) / 60_000).toBe(25 * 60);
  });

  it('gives a weekend-closed site no open minutes on Saturday and Sunday', () => {
    // Monday 2 March to Sunday 8 March 2026.
    const week = openIntervals(weekdays('08:00', '20:00'), MADRID, '2026-03-02', '2026-03-08');
    expect(week).toHaveLength(5);
    expect(totalMs(week) / 60_000).toBe(5 * 720);
    expect(openIntervals(weekdays('08:00', '20:00'), MADRID, '2026-03-07', '2026-03-08')).toEqual([]);
  });

  it('takes several slots of a day and clips to a window', () => {
    const hours: OpeningSlot[] = [
      { day: 'sat', open: '14:00', close: '18:00' },
      { day: 'sat', open: '09:00', close: '13:00' },
    ];
    const slots = openIntervals(hours, MADRID, '2026-03-07', '2026-03-07');
    expect(slots.map((s) => new Date(s.start).toISOString())).toEqual([
      '2026-03-07T08:00:00.000Z',
      '2026-03-07T13:00:00.000Z',
    ]);
    const clipped = clip(slots, Date.parse('2026-03-07T10:00:00Z'), Date.parse('2026-03-07T15:00:00Z'));
    // 10:00-12:00 UTC of the morning slot, 13:00-15:00 of the afternoon one.
    expect(totalMs(clipped)).toBe(2 * H + 2 * H);
  });

  it('spreads open seconds over local hours of the week, both copies of the repeated autumn hour included', () => {
    const autumn = openIntervals(everyDay('00:00', '24:00'), MADRID, '2026-10-25', '2026-10-25');
    const byHour = openSecondsByHourOfWeek(autumn, MADRID);
    // Sunday = day 6: hours 144..167; 02:00-03:00 happens twice.
    expect(byHour[144 + 2]).toBe(7200);
    expect(byHour[144 + 3]).toBe(3600);
    expect(byHour.reduce((a, b) => a + b, 0)).toBe(25 * 3600);
    const spring = openIntervals(everyDay('00:00', '24:00'), MADRID, '2026-03-29', '2026-03-29');
    const springHours = openSecondsByHourOfWeek(spring, MADRID);
    expect(springHours[144 + 2]).toBe(0);
    expect(springHours.reduce((a, b) => a + b, 0)).toBe(23 * 3600);
  });

  it('keys the hours so a change is noticed and an equal set in another order is not', () => {
    const a = hoursKey(weekdays('08:00', '20:00'), MADRID);
    expect(hoursKey([...weekdays('08:00', '20:00')].reverse(), MADRID)).toBe(a);
    expect(hoursKey(weekdays('08:00', '19:00'), MADRID)).not.toBe(a);
  });
});

describe('opening hours over time', () => {
  const history = [
    { validFrom: null, openingHours: everyDay('08:00', '20:00') },
    { validFrom: '2026-03-10', openingHours: everyDay('09:00', '17:00') },
    { validFrom: '2026-03-20', openingHours: [] },
  ];

  it('gives each local date the version in force that day', () => {
    expect(
      versionsOver(history, '2026-03-01', '2026-03-31').map((v) => [v.from, v.to, v.hours.length]),
    ).toEqual([
      ['2026-03-01', '2026-03-09', 7],
      ['2026-03-10', '2026-03-19', 7],
      ['2026-03-20', '2026-03-31', 0],
    ]);
    expect(versionsOver(history, '2026-03-12', '2026-03-15').map((v) => [v.from, v.to])).toEqual([
      ['2026-03-12', '2026-03-15'],
    ]);
    // A history that starts later (a version dated after the range's start): its first version covers the start.
    expect(
      versionsOver(
        [{ validFrom: '2026-03-05', openingHours: everyDay('08:00', '20:00') }],
        '2026-03-01',
        '2026-03-02',
      ),
    ).toEqual([{ hours: everyDay('08:00', '20:00'), from: '2026-03-01', to: '2026-03-02' }]);
  });

  it('counts last month with the hours it had, not the hours set since', () => {
    const minutes = (from: string, to: string) =>
      totalMs(openIntervalsOver(history, MADRID, from, to)) / 60_000;
    expect(minutes('2026-03-01', '2026-03-09')).toBe(9 * 12 * 60);
    expect(minutes('2026-03-01', '2026-03-31')).toBe(9 * 12 * 60 + 10 * 8 * 60);
    expect(minutes('2026-03-20', '2026-03-31')).toBe(0);
    expect(
      openIntervalsOver(
        [{ validFrom: null, openingHours: weekdays('08:00', '20:00') }],
        MADRID,
        '2026-03-02',
        '2026-03-08',
      ),
    ).toEqual(openIntervals(weekdays('08:00', '20:00'), MADRID, '2026-03-02', '2026-03-08'));
  });
});

describe('zoned time', () => {
  it('finds the local date of an instant near midnight', () => {
    expect(localDate(Date.parse('2026-03-01T23:30:00Z'), MADRID)).toBe('2026-03-02');
    expect(localDate(Date.parse('2026-03-02T00:30:00Z'), 'America/New_York')).toBe('2026-03-01');
  });

  it('maps a wall time skipped in spring to as many minutes later', () => {
    expect(new Date(zonedInstant('2026-03-29', 150, MADRID)).toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });
});
