import { BookingHomes } from './booking-homes';

const MINUTE = 60_000;

describe('BookingHomes', () => {
  it('tells where a booking was filed, once', () => {
    const homes = new BookingHomes();
    homes.note('b1', 'desk-1', 10 * MINUTE);
    homes.note('b1', 'desk-2', 10 * MINUTE);
    expect(homes.take('b1')).toBe('desk-2');
    expect(homes.take('b1')).toBeUndefined();
    expect(homes.take('never')).toBeUndefined();
  });

  it('prunes bookings over a minute past their end once it grows, and keeps the rest', () => {
    const homes = new BookingHomes();
    const now = 1000 * MINUTE;
    for (let i = 0; i < 1024; i++) homes.note(`old-${i}`, 'desk-1', now - 2 * MINUTE);
    homes.note('just-ended', 'desk-2', now - MINUTE / 2);
    expect(homes.size).toBe(1025);
    homes.note('future', 'desk-3', now + MINUTE, now);
    expect(homes.size).toBe(2);
    expect(homes.take('just-ended')).toBe('desk-2');
    expect(homes.take('future')).toBe('desk-3');
    expect(homes.take('old-0')).toBeUndefined();
  });

  it('does not prune a small index, nor without a clock', () => {
    const homes = new BookingHomes();
    for (let i = 0; i < 2000; i++) homes.note(`old-${i}`, 'desk-1', 0);
    expect(homes.size).toBe(2000);
    homes.note('x', 'desk-1', 0, 10 * MINUTE);
    expect(homes.size).toBe(0);
    for (let i = 0; i < 100; i++) homes.note(`again-${i}`, 'desk-1', 0, 10 * MINUTE);
    expect(homes.size).toBe(100);
  });
});
