import { ErrorCode } from '@cw/common';
import { BookingRule, bookingRefusal, DEFAULT_RULE, freeCancelDeadline, RuleCheck } from './booking-rules';

const rule: BookingRule = { resourceKind: '*', ...DEFAULT_RULE, minLeadMinutes: 30, maxAdvanceDays: 14 };
const now = new Date('2026-03-30T07:00:00Z'); // Mon 09:00 in Madrid
const check = (over: Partial<RuleCheck> = {}): RuleCheck => ({
  rule,
  resource: { id: 'room-1', kind: 'meeting_room', bookable: true },
  booker: { kind: 'member', memberId: 'm1', status: 'active', bookableKinds: ['meeting_room'] },
  byStaff: false,
  // Mon 11:00-12:00 Madrid
  start: new Date('2026-03-30T09:00:00Z'),
  end: new Date('2026-03-30T10:00:00Z'),
  now,
  timeZone: 'Europe/Madrid',
  openingHours: [{ day: 'mon', open: '08:00', close: '20:00' }],
  ...over,
});

describe('bookingRefusal', () => {
  it('allows a booking that meets every rule', () => {
    expect(bookingRefusal(check())).toBeUndefined();
  });

  it('keeps the lead time: too soon is refused, exactly the lead time is fine', () => {
    const soon = bookingRefusal(
      check({ start: new Date('2026-03-30T07:20:00Z'), end: new Date('2026-03-30T08:00:00Z') }),
    );
    expect(soon?.code).toBe(ErrorCode.Validation);
    expect(soon?.message).toMatch(/at least 30 minutes ahead/);
    expect(
      bookingRefusal(
        check({ start: new Date('2026-03-30T07:30:00Z'), end: new Date('2026-03-30T08:00:00Z') }),
      ),
    ).toBeUndefined();
  });

  it('refuses a start in the past even without a lead time, with a minute of leeway for "now"', () => {
    const noLead = { ...rule, minLeadMinutes: 0 };
    const past = bookingRefusal(
      check({ rule: noLead, start: new Date('2026-03-30T06:58:00Z'), end: new Date('2026-03-30T08:00:00Z') }),
    );
    expect(past?.message).toMatch(/in the past/);
    expect(
      bookingRefusal(
        check({
          rule: noLead,
          start: new Date('2026-03-30T06:59:30Z'),
          end: new Date('2026-03-30T08:00:00Z'),
        }),
      ),
    ).toBeUndefined();
  });

  it('refuses booking too far ahead and too long', () => {
    // Mon 13 Apr is 14 days and 2 hours ahead
    const far = bookingRefusal(
      check({ start: new Date('2026-04-13T09:00:00Z'), end: new Date('2026-04-13T10:00:00Z') }),
    );
    expect(far?.message).toMatch(/at most 14 days ahead/);
    const long = bookingRefusal(check({ rule: { ...rule, maxLengthMinutes: 45 } }));
    expect(long?.code).toBe(ErrorCode.Validation);
    expect(long?.errors).toEqual([{ path: 'end', message: 'at most 45 minutes after start' }]);
  });

  it('refuses outside opening hours in the site zone, and ignores hours when the rule says so', () => {
    // Mon 19:30-20:30 Madrid runs past closing
    const late = check({ start: new Date('2026-03-30T17:30:00Z'), end: new Date('2026-03-30T18:30:00Z') });
    expect(bookingRefusal(late)?.message).toMatch(/outside the site's opening hours/);
    expect(bookingRefusal({ ...late, rule: { ...rule, withinOpeningHours: false } })).toBeUndefined();
  });

  it('decides who may book: members with a plan for the kind, anyone, or staff', () => {
    const noPlan = check({
      booker: { kind: 'member', memberId: 'm1', status: 'active', bookableKinds: ['desk'] },
    });
    expect(bookingRefusal(noPlan)?.code).toBe(ErrorCode.Forbidden);
    expect(bookingRefusal({ ...noPlan, rule: { ...rule, who: 'anyone' } })).toBeUndefined();
    const guest = check({ booker: { kind: 'guest' } });
    expect(bookingRefusal(guest)?.message).toMatch(/guests may not book/);
    expect(bookingRefusal({ ...guest, rule: { ...rule, who: 'anyone' } })).toBeUndefined();
    const staffOnly = { ...rule, who: 'staff' as const };
    expect(bookingRefusal(check({ rule: staffOnly }))?.code).toBe(ErrorCode.Forbidden);
    expect(bookingRefusal(check({ rule: staffOnly, byStaff: true }))).toBeUndefined();
  });

  it('refuses offboarded members and resources that are not bookable', () => {
    const gone = check({
      booker: { kind: 'member', memberId: 'm1', status: 'offboarded', bookableKinds: ['meeting_room'] },
    });
    expect(bookingRefusal(gone)?.message).toMatch(/offboarded/);
    const locked = check({ resource: { id: 'locker-1', kind: 'meeting_room', bookable: false } });
    expect(bookingRefusal(locked)?.code).toBe(ErrorCode.Validation);
  });

  it('gives the free cancellation deadline', () => {
    expect(
      freeCancelDeadline(new Date('2026-03-30T09:00:00Z'), { freeCancelMinutes: 60 }).toISOString(),
    ).toBe('2026-03-30T08:00:00.000Z');
  });
});
