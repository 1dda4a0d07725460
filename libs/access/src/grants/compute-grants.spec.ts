import { computeGrants, GrantInputs, grantsOfDoor } from './compute-grants';
import { WEEKDAYS } from '../time/zoned-time';

const at = (iso: string) => Date.parse(iso);

const base: GrantInputs = {
  site: {
    timeZone: 'Europe/Madrid',
    openingHours: WEEKDAYS.map((day) => ({ day, open: '07:00', close: '22:00' })),
    bookingMarginMs: 15 * 60_000,
  },
  doors: [
    { id: 'door-main', resourceIds: [] },
    { id: 'door-room-1', resourceIds: ['room-1'] },
  ],
  zones: [{ id: 'z-main', name: 'Main', doorIds: ['door-main'] }],
  credentials: [
    { credentialId: 'c1', value: 'CARD-1', memberId: 'm1' },
    { credentialId: 'c2', value: 'PHONE-1', memberId: 'm1' },
    { credentialId: 'c3', value: 'CARD-2', memberId: 'm2' },
  ],
  contracts: [],
  bookings: [],
  passes: [],
};
const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
const officeHours = weekdays.map((day) => ({ day, open: '08:00', close: '20:00' }));

describe('computeGrants', () => {
  it('expands contract hours per local day across the spring DST change, for every credential of the member', () => {
    const input = {
      ...base,
      contracts: [
        { memberId: 'm1', startDate: '2026-03-01', endDate: null, zones: ['z-main'], hours: officeHours },
      ],
    };
    // Friday 27 March (CET) to Tuesday 31 March (CEST); the weekend has no hours
    const grants = computeGrants(input, at('2026-03-27T00:00:00Z'), at('2026-04-01T00:00:00Z'));
    const card = grants.filter((g) => g.credential === 'CARD-1').map((g) => [g.from, g.to]);
    expect(card).toEqual([
      ['2026-03-27T07:00:00.000Z', '2026-03-27T19:00:00.000Z'],
      ['2026-03-30T06:00:00.000Z', '2026-03-30T18:00:00.000Z'],
      ['2026-03-31T06:00:00.000Z', '2026-03-31T18:00:00.000Z'],
    ]);
    expect(grants.filter((g) => g.credential === 'PHONE-1')).toHaveLength(3);
    expect(grants.every((g) => g.member === 'm1' && g.source === 'contract')).toBe(true);
    expect(grants[0].doors).toEqual(['door-main']);
  });

  it('stops a contract at its end date, starts it at its start date, and clips to the range', () => {
    const input = {
      ...base,
      contracts: [
        { memberId: 'm2', startDate: '2026-10-26', endDate: '2026-10-28', zones: ['z-main'], hours: [] },
      ],
    };
    const grants = computeGrants(input, at('2026-10-24T00:00:00Z'), at('2026-10-27T12:00:00Z'));
    // opening hours 07:00-22:00 CET (UTC+1 after the fall-back on the 25th); the range ends mid-day on the 27th
    expect(grants.map((g) => [g.from, g.to])).toEqual([
      ['2026-10-26T06:00:00.000Z', '2026-10-26T21:00:00.000Z'],
      ['2026-10-27T06:00:00.000Z', '2026-10-27T12:00:00.000Z'],
    ]);
  });

  it('opens the doors serving a booked resource from start minus margin to end plus margin', () => {
    const input = {
      ...base,
      bookings: [
        {
          memberId: 'm2',
          resourceId: 'room-1',
          start: new Date('2026-03-10T09:00:00Z'),
          end: new Date('2026-03-10T10:00:00Z'),
        },
        // a resource no door serves gives no grant
        {
          memberId: 'm2',
          resourceId: 'desk-9',
          start: new Date('2026-03-10T09:00:00Z'),
          end: new Date('2026-03-10T10:00:00Z'),
        },
      ],
    };
    expect(computeGrants(input, at('2026-03-10T00:00:00Z'), at('2026-03-11T00:00:00Z'))).toEqual([
      {
        credential: 'CARD-2',
        member: 'm2',
        doors: ['door-room-1'],
        from: '2026-03-10T08:45:00.000Z',
        to: '2026-03-10T10:15:00.000Z',
        source: 'booking',
      },
    ]);
  });

  it('gives a day pass its spent days, and while days are left every day up to the expiry, in local days', () => {
    const pass = {
      memberId: 'm2',
      code: 'DP',
      balance: 0,
      expiresAt: new Date('2026-03-20T00:00:00Z'),
      spentDates: ['2026-03-11'],
      zones: [],
      hours: [],
    };
    const range = [at('2026-03-10T00:00:00Z'), at('2026-03-13T00:00:00Z')] as const;
    const spentOnly = computeGrants({ ...base, passes: [pass] }, ...range);
    expect(spentOnly.map((g) => [g.from, g.to, g.doors.join()])).toEqual([
      ['2026-03-11T06:00:00.000Z', '2026-03-11T21:00:00.000Z', 'door-main,door-room-1'],
    ]);
    const withDaysLeft = computeGrants(
      { ...base, passes: [{ ...pass, balance: 2, expiresAt: new Date('2026-03-12T12:00:00Z') }] },
      ...range,
    );
    expect(withDaysLeft.map((g) => [g.from, g.to])).toEqual([
      ['2026-03-10T06:00:00.000Z', '2026-03-10T21:00:00.000Z'],
      ['2026-03-11T06:00:00.000Z', '2026-03-11T21:00:00.000Z'],
      ['2026-03-12T06:00:00.000Z', '2026-03-12T12:00:00.000Z'],
    ]);
    const zoned = computeGrants({ ...base, passes: [{ ...pass, zones: ['z-main'] }] }, ...range);
    expect(zoned[0].doors).toEqual(['door-main']);
  });

  it('gives nothing to members without an active credential, and lists one door for its retained message', () => {
    const input = {
      ...base,
      credentials: base.credentials.filter((c) => c.memberId !== 'm2'),
      contracts: [
        { memberId: 'm1', startDate: '2026-03-01', endDate: null, zones: ['z-main'], hours: [] },
        { memberId: 'm2', startDate: '2026-03-01', endDate: null, zones: ['z-main'], hours: [] },
      ],
    };
    const grants = computeGrants(input, at('2026-03-10T00:00:00Z'), at('2026-03-11T00:00:00Z'));
    expect(new Set(grants.map((g) => g.member))).toEqual(new Set(['m1']));
    expect(grantsOfDoor(grants, 'door-main')).toEqual([
      {
        credential: 'CARD-1',
        member: 'm1',
        from: '2026-03-10T06:00:00.000Z',
        to: '2026-03-10T21:00:00.000Z',
        source: 'contract',
      },
      {
        credential: 'PHONE-1',
        member: 'm1',
        from: '2026-03-10T06:00:00.000Z',
        to: '2026-03-10T21:00:00.000Z',
        source: 'contract',
      },
    ]);
    expect(grantsOfDoor(grants, 'door-room-1')).toEqual([]);
  });
});
