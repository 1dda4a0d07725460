import { localDateAt, utcOffsetMs, wallTimeToInstant } from './zone-offset';

const MADRID = 'Europe/Madrid';
const wall = (iso: string) => Date.parse(`${iso}Z`);

describe('utcOffsetMs', () => {
  it('is the zone offset at the instant, across a DST change', () => {
    expect(utcOffsetMs(Date.parse('2027-01-15T12:00:00Z'), MADRID)).toBe(3_600_000);
    expect(utcOffsetMs(Date.parse('2027-07-15T12:00:00Z'), MADRID)).toBe(7_200_000);
    expect(utcOffsetMs(Date.parse('2027-07-15T12:00:00Z'), 'UTC')).toBe(0);
  });
});

describe('wallTimeToInstant', () => {
  it('finds the instant of an ordinary wall time in winter and summer', () => {
    expect(new Date(wallTimeToInstant(wall('2027-01-15T09:00:00'), MADRID)).toISOString()).toBe(
      '2027-01-15T08:00:00.000Z',
    );
    expect(new Date(wallTimeToInstant(wall('2027-07-15T09:00:00'), MADRID)).toISOString()).toBe(
      '2027-07-15T07:00:00.000Z',
    );
  });

  it('moves a wall time skipped by the spring change later by the gap, and takes the second of a repeated one', () => {
    // 2027-03-28: 02:00 -> 03:00 in Madrid; 02:30 does not exist and lands on 03:30 local (01:30Z).
    expect(new Date(wallTimeToInstant(wall('2027-03-28T02:30:00'), MADRID)).toISOString()).toBe(
      '2027-03-28T01:30:00.000Z',
    );
    // 2027-10-31: 03:00 -> 02:00; 02:30 happens twice, at 00:30Z and 01:30Z.
    expect(new Date(wallTimeToInstant(wall('2027-10-31T02:30:00'), MADRID)).toISOString()).toBe(
      '2027-10-31T01:30:00.000Z',
    );
  });

  it('uses the offset function it is given', () => {
    const calls: number[] = [];
    const fixed = (instant: number) => {
      calls.push(instant);
      return 3_600_000;
    };
    expect(wallTimeToInstant(wall('2027-01-15T09:00:00'), MADRID, fixed)).toBe(
      Date.parse('2027-01-15T08:00:00Z'),
    );
    expect(calls).toHaveLength(2);
  });
});

describe('localDateAt', () => {
  it('gives the date the local clock shows, not the UTC one', () => {
    // 23:30 UTC on 31 December is already 1 January in Madrid, still 31 December in New York.
    const instant = Date.parse('2026-12-31T23:30:00Z');
    expect(localDateAt(instant, 'Europe/Madrid')).toBe('2027-01-01');
    expect(localDateAt(instant, 'America/New_York')).toBe('2026-12-31');
    expect(localDateAt(instant, 'UTC')).toBe('2026-12-31');
  });
});
