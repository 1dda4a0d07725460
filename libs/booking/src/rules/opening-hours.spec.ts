import { OpeningSlot, withinOpeningHours } from './opening-hours';

const MADRID = 'Europe/Madrid';
const weekdays: OpeningSlot[] = (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((day) => ({
  day,
  open: '08:00',
  close: '20:00',
}));
const at = (iso: string) => new Date(iso);

describe('withinOpeningHours', () => {
  it('reads the hours on the site wall clock in winter (UTC+1)', () => {
    // Sat 28 Mar 2026, open 08:00-20:00 Madrid = 07:00-19:00 UTC
    expect(withinOpeningHours(at('2026-03-28T07:00:00Z'), at('2026-03-28T19:00:00Z'), weekdays, MADRID)).toBe(
      true,
    );
    expect(withinOpeningHours(at('2026-03-28T06:59:00Z'), at('2026-03-28T08:00:00Z'), weekdays, MADRID)).toBe(
      false,
    );
    expect(withinOpeningHours(at('2026-03-28T18:30:00Z'), at('2026-03-28T19:01:00Z'), weekdays, MADRID)).toBe(
      false,
    );
  });

  it('moves with the wall clock across the spring-forward change (UTC+2 from 29 Mar)', () => {
    // Sun 29 Mar 2026: 08:00 Madrid is 06:00 UTC now
    expect(withinOpeningHours(at('2026-03-29T06:00:00Z'), at('2026-03-29T07:00:00Z'), weekdays, MADRID)).toBe(
      true,
    );
    // 06:30 UTC was 07:30 local the day before (closed) and is 08:30 today (open)
    expect(withinOpeningHours(at('2026-03-28T06:30:00Z'), at('2026-03-28T07:30:00Z'), weekdays, MADRID)).toBe(
      false,
    );
    expect(withinOpeningHours(at('2026-03-29T06:30:00Z'), at('2026-03-29T07:30:00Z'), weekdays, MADRID)).toBe(
      true,
    );
    // closing 20:00 local = 18:00 UTC
    expect(withinOpeningHours(at('2026-03-29T17:30:00Z'), at('2026-03-29T18:30:00Z'), weekdays, MADRID)).toBe(
      false,
    );
  });

  it('moves back across the autumn change (UTC+1 from 25 Oct)', () => {
    // Sun 25 Oct 2026: 08:00 local = 07:00 UTC; Sat 24 Oct: 08:00 local = 06:00 UTC
    expect(withinOpeningHours(at('2026-10-24T06:00:00Z'), at('2026-10-24T07:00:00Z'), weekdays, MADRID)).toBe(
      true,
    );
    expect(withinOpeningHours(at('2026-10-25T06:00:00Z'), at('2026-10-25T07:00:00Z'), weekdays, MADRID)).toBe(
      false,
    );
    expect(withinOpeningHours(at('2026-10-25T07:00:00Z'), at('2026-10-25T19:00:00Z'), weekdays, MADRID)).toBe(
      true,
    );
  });

  it('refuses a day without hours and a booking spanning the night closure', () => {
    const mondayOnly: OpeningSlot[] = [{ day: 'mon', open: '08:00', close: '20:00' }];
    // Tue 31 Mar 2026
    expect(
      withinOpeningHours(at('2026-03-31T08:00:00Z'), at('2026-03-31T09:00:00Z'), mondayOnly, MADRID),
    ).toBe(false);
    expect(withinOpeningHours(at('2026-03-28T18:00:00Z'), at('2026-03-29T07:00:00Z'), weekdays, MADRID)).toBe(
      false,
    );
  });

  it('joins slots that touch, across midnight too', () => {
    const overnight: OpeningSlot[] = [
      { day: 'fri', open: '18:00', close: '24:00' },
      { day: 'sat', open: '00:00', close: '02:00' },
    ];
    // Fri 27 Mar 23:00 to Sat 28 Mar 01:30 local (UTC+1)
    expect(
      withinOpeningHours(at('2026-03-27T22:00:00Z'), at('2026-03-28T00:30:00Z'), overnight, MADRID),
    ).toBe(true);
    expect(
      withinOpeningHours(at('2026-03-27T22:00:00Z'), at('2026-03-28T01:30:00Z'), overnight, MADRID),
    ).toBe(false);
  });

  it('treats a site without declared hours as always open', () => {
    expect(withinOpeningHours(at('2026-03-29T01:00:00Z'), at('2026-03-29T03:00:00Z'), [], MADRID)).toBe(true);
  });
});
