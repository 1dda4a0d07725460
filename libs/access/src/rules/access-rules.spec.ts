import { decideAccess } from './access-rules';
import { DoorFacts, HolderFacts, SiteAccessFacts } from './access-facts';
import { WeeklySlot } from '../time/weekly-hours';
import { WEEKDAYS } from '../time/zoned-time';

const everyDay = (open: string, close: string): WeeklySlot[] => WEEKDAYS.map((day) => ({ day, open, close }));

const madrid: SiteAccessFacts = {
  timeZone: 'Europe/Madrid',
  openingHours: everyDay('07:00', '22:00'),
  bookingMarginMs: 15 * 60_000,
};
const entrance: DoorFacts = { id: 'door-main', zoneIds: ['z-all'], resourceIds: [] };
const roomDoor: DoorFacts = { id: 'door-room-1', zoneIds: [], resourceIds: ['room-1'] };

const activeCredential = {
  id: 'c1',
  kind: 'card' as const,
  memberId: 'm1',
  revokedAt: null,
  revokeReason: null,
};
const nobody: HolderFacts = {
  credential: activeCredential,
  memberStatus: 'active',
  contract: null,
  bookings: [],
  passes: [],
};
const withContract = (hours: WeeklySlot[], endDate: string | null = null): HolderFacts => ({
  ...nobody,
  contract: { id: 'ct1', planId: 'flex', endDate, zones: ['z-all'], hours },
});
const at = (iso: string) => new Date(iso);

describe('access rules', () => {
  describe('credentials and members', () => {
    it('refuses an unknown credential, a revoked one, and a member who left', () => {
      expect(
        decideAccess(madrid, entrance, { ...nobody, credential: null }, at('2026-03-10T10:00:00Z')),
      ).toMatchObject({
        decision: 'deny',
        reason: 'unknown_credential',
        memberId: null,
      });
      const revoked = {
        ...withContract([]),
        credential: {
          ...activeCredential,
          revokedAt: new Date('2026-03-01T00:00:00Z'),
          revokeReason: 'lost',
        },
      };
      const lost = decideAccess(madrid, entrance, revoked, at('2026-03-10T10:00:00Z'));
      expect(lost).toMatchObject({ decision: 'deny', reason: 'revoked', memberId: 'm1' });
      expect(lost.message).toContain('lost');
      for (const status of ['offboarded', 'erased'] as const)
        expect(
          decideAccess(
            madrid,
            entrance,
            { ...withContract([]), memberStatus: status },
            at('2026-03-10T10:00:00Z'),
          ),
        ).toMatchObject({ decision: 'deny', reason: 'offboarded' });
    });

    it('refuses a member with no entitlement at this door', () => {
      expect(decideAccess(madrid, entrance, nobody, at('2026-03-10T10:00:00Z'))).toMatchObject({
        decision: 'deny',
        reason: 'no_entitlement',
      });
      // a contract whose zones do not hold the door
      const elsewhere = {
        ...withContract([]),
        contract: { ...withContract([]).contract!, zones: ['z-other'] },
      };
      expect(decideAccess(madrid, entrance, elsewhere, at('2026-03-10T10:00:00Z')).reason).toBe(
        'no_entitlement',
      );
    });
  });

  describe('contract zones and hours across time zones and DST', () => {
    const hours = everyDay('08:00', '20:00');

    // The last Sunday of March 2026 (29th): clocks go 02:00 -> 03:00, Madrid moves from UTC+1 to UTC+2.
    it.each([
      ['2026-03-29T05:59:00Z', 'deny', '07:59 CEST'],
      ['2026-03-29T06:00:00Z', 'grant', '08:00 CEST'],
      ['2026-03-29T17:59:59Z', 'grant', '19:59:59 CEST'],
      ['2026-03-29T18:00:00Z', 'deny', '20:00 CEST'],
      ['2026-03-28T06:59:00Z', 'deny', 'the Saturday before, 07:59 CET'],
      ['2026-03-28T07:00:00Z', 'grant', 'the Saturday before, 08:00 CET'],
      ['2026-03-28T18:59:00Z', 'grant', 'the Saturday before, 19:59 CET'],
    ])('spring forward: %s is a %s (%s)', (iso, decision) => {
      const verdict = decideAccess(madrid, entrance, withContract(hours), at(iso));
      expect(verdict.decision).toBe(decision);
      expect(verdict.reason).toBe(decision === 'grant' ? 'contract_zone' : 'outside_hours');
    });

    // The last Sunday of October 2026 (25th): clocks go 03:00 -> 02:00, Madrid moves from UTC+2 to UTC+1.
    it.each([
      ['2026-10-25T06:59:00Z', 'deny', '07:59 CET'],
      ['2026-10-25T07:00:00Z', 'grant', '08:00 CET'],
      ['2026-10-25T18:59:00Z', 'grant', '19:59 CET'],
      ['2026-10-25T19:00:00Z', 'deny', '20:00 CET'],
      ['2026-10-24T06:00:00Z', 'grant', 'the Saturday before, 08:00 CEST'],
      ['2026-10-24T18:00:00Z', 'deny', 'the Saturday before, 20:00 CEST'],
    ])('fall back: %s is a %s (%s)', (iso, decision) => {
      expect(decideAccess(madrid, entrance, withContract(hours), at(iso)).decision).toBe(decision);
    });

    it('grants until the local closing time, as an instant', () => {
      expect(decideAccess(madrid, entrance, withContract(hours), at('2026-03-29T09:00:00Z')).until).toEqual(
        new Date('2026-03-29T18:00:00Z'),
      );
      expect(decideAccess(madrid, entrance, withContract(hours), at('2026-10-25T09:00:00Z')).until).toEqual(
        new Date('2026-10-25T19:00:00Z'),
      );
    });

    it('reads the hours in the site zone, not in UTC', () => {
      const tokyo = { ...madrid, timeZone: 'Asia/Tokyo' };
      const newYork = { ...madrid, timeZone: 'America/New_York' };
      // 23:30 UTC on Monday is 08:30 on Tuesday in Tokyo and 19:30 on Monday in New York (EDT, UTC-4)
      const weekdays = (['mon', 'tue'] as const).map((day) => ({ day, open: '08:00', close: '20:00' }));
      const tuesdayOnly = [{ day: 'tue' as const, open: '08:00', close: '20:00' }];
      expect(
        decideAccess(tokyo, entrance, withContract(tuesdayOnly), at('2026-06-01T23:30:00Z')).decision,
      ).toBe('grant');
      expect(
        decideAccess(newYork, entrance, withContract(tuesdayOnly), at('2026-06-01T23:30:00Z')).decision,
      ).toBe('deny');
      expect(
        decideAccess(newYork, entrance, withContract(weekdays), at('2026-06-01T23:30:00Z')).decision,
      ).toBe('grant');
    });

    it("uses the site's opening hours when the plan has none, and a night slot runs past midnight", () => {
      expect(decideAccess(madrid, entrance, withContract([]), at('2026-03-10T06:30:00Z')).decision).toBe(
        'grant',
      );
      expect(decideAccess(madrid, entrance, withContract([]), at('2026-03-10T05:30:00Z')).reason).toBe(
        'outside_hours',
      );
      const night = [{ day: 'fri' as const, open: '22:00', close: '06:00' }];
      // Friday 13 March 2026, 23:00 and Saturday 05:59 local (CET) are inside; Saturday 06:00 is not
      expect(decideAccess(madrid, entrance, withContract(night), at('2026-03-13T22:00:00Z')).decision).toBe(
        'grant',
      );
      const lateNight = decideAccess(madrid, entrance, withContract(night), at('2026-03-14T04:59:00Z'));
      expect(lateNight).toMatchObject({ decision: 'grant', until: new Date('2026-03-14T05:00:00Z') });
      expect(decideAccess(madrid, entrance, withContract(night), at('2026-03-14T05:00:00Z')).decision).toBe(
        'deny',
      );
    });

    it('stops at the end date of the contract and merges a day open until 24:00 into the next', () => {
      const allDay = everyDay('00:00', '24:00');
      expect(
        decideAccess(madrid, entrance, withContract(allDay, '2026-03-12'), at('2026-03-10T12:00:00Z')).until,
      ).toEqual(new Date('2026-03-11T23:00:00Z'));
      // open-ended, open around the clock: the window reaches the two-day look-ahead
      const until = decideAccess(madrid, entrance, withContract(allDay), at('2026-03-10T12:00:00Z')).until!;
      expect(until.getTime()).toBe(new Date('2026-03-12T12:00:00Z').getTime());
    });
  });

  describe('bookings', () => {
    const booking = {
      id: 'b1',
      resourceId: 'room-1',
      start: at('2026-03-10T09:00:00Z'),
      end: at('2026-03-10T10:00:00Z'),
    };
    const booker: HolderFacts = { ...nobody, bookings: [booking] };

    it.each([
      ['2026-03-10T08:44:59Z', 'deny'],
      ['2026-03-10T08:45:00Z', 'grant'],
      ['2026-03-10T09:30:00Z', 'grant'],
      ['2026-03-10T10:15:00Z', 'grant'],
      ['2026-03-10T10:15:01Z', 'deny'],
    ])(
      'open the door serving the room within [start - 15 min, end + 15 min]: %s is a %s',
      (iso, decision) => {
        const verdict = decideAccess(madrid, roomDoor, booker, at(iso));
        expect(verdict.decision).toBe(decision);
        expect(verdict.reason).toBe(decision === 'grant' ? 'booking_slot' : 'outside_hours');
      },
    );

    it('follow the site margin, end at the slot end plus margin, and open only doors serving the room', () => {
      const noMargin = { ...madrid, bookingMarginMs: 0 };
      expect(decideAccess(noMargin, roomDoor, booker, at('2026-03-10T08:59:00Z')).decision).toBe('deny');
      expect(decideAccess(noMargin, roomDoor, booker, at('2026-03-10T09:00:00Z')).decision).toBe('grant');
      expect(decideAccess(madrid, roomDoor, booker, at('2026-03-10T09:00:00Z')).until).toEqual(
        new Date('2026-03-10T10:15:00Z'),
      );
      const otherRoom = { ...roomDoor, resourceIds: ['room-2'] };
      expect(decideAccess(madrid, otherRoom, booker, at('2026-03-10T09:30:00Z')).reason).toBe(
        'no_entitlement',
      );
    });
  });

  describe('day passes', () => {
    const pass = {
      code: 'PASS-1',
      balance: 3,
      expiresAt: at('2026-12-31T00:00:00Z'),
      spentToday: false,
      zones: [],
      hours: [],
    };

    it('spend one day for the local date, and none when one is already spent for it', () => {
      // 23:30 UTC on 10 March is 00:30 on 11 March in Madrid: the local date counts
      const siteAllDay = { ...madrid, openingHours: [] };
      const first = decideAccess(
        siteAllDay,
        entrance,
        { ...nobody, passes: [pass] },
        at('2026-03-10T23:30:00Z'),
      );
      expect(first).toMatchObject({
        decision: 'grant',
        reason: 'day_pass',
        spendPass: { code: 'PASS-1', date: '2026-03-11' },
        until: new Date('2026-03-11T23:00:00Z'),
      });
      const again = decideAccess(
        siteAllDay,
        entrance,
        { ...nobody, passes: [{ ...pass, balance: 0, spentToday: true }] },
        at('2026-03-11T22:59:00Z'),
      );
      expect(again).toMatchObject({ decision: 'grant', reason: 'day_pass' });
      expect(again.spendPass).toBeUndefined();
      const summer = decideAccess(
        siteAllDay,
        entrance,
        { ...nobody, passes: [pass] },
        at('2026-07-10T22:30:00Z'),
      );
      expect(summer.spendPass?.date).toBe('2026-07-11');
    });

    it('prefer a pass already spent today, then the one expiring first, and refuse empty or expired ones', () => {
      const spent = { ...pass, code: 'SPENT', balance: 0, spentToday: true };
      const soon = { ...pass, code: 'SOON', expiresAt: at('2026-04-01T00:00:00Z') };
      const noon = at('2026-03-10T12:00:00Z');
      expect(
        decideAccess(madrid, entrance, { ...nobody, passes: [pass, spent] }, noon).spendPass,
      ).toBeUndefined();
      expect(decideAccess(madrid, entrance, { ...nobody, passes: [pass, soon] }, noon).spendPass?.code).toBe(
        'SOON',
      );
      const empty = { ...pass, balance: 0 };
      const expired = { ...pass, expiresAt: at('2026-03-10T11:00:00Z') };
      expect(decideAccess(madrid, entrance, { ...nobody, passes: [empty, expired] }, noon).reason).toBe(
        'no_entitlement',
      );
    });

    it("keep to the site's hours and the pass plan's zones", () => {
      expect(
        decideAccess(madrid, entrance, { ...nobody, passes: [pass] }, at('2026-03-10T05:00:00Z')).reason,
      ).toBe('outside_hours');
      const zoned = { ...pass, zones: ['z-meeting'] };
      expect(
        decideAccess(madrid, entrance, { ...nobody, passes: [zoned] }, at('2026-03-10T12:00:00Z')).reason,
      ).toBe('no_entitlement');
    });

    it('come after a contract or booking that opens the door, so no day is spent needlessly', () => {
      const both = { ...withContract([]), passes: [pass] };
      expect(decideAccess(madrid, entrance, both, at('2026-03-10T12:00:00Z'))).toMatchObject({
        reason: 'contract_zone',
      });
      expect(decideAccess(madrid, entrance, both, at('2026-03-10T12:00:00Z')).spendPass).toBeUndefined();
    });
  });
});
