import { recordsOf, runScenario, scenarioWith } from '../testing/scenario-fixtures';
import { addDays, localDate, localMinutes } from '../zoned-time';

const DAY_MS = 86_400_000;
const TZ = 'Europe/Madrid';

/** A site with only an entrance: visits are cheap to simulate over months. */
const doorOnly = (population: object, behaviour: object = {}) =>
  scenarioWith(
    {},
    {
      sites: [
        {
          id: 'doors',
          layout: { desksPerFloor: 10, meetingRoomsPerFloor: 0, boothsPerFloor: 0, deskSensors: false },
          population,
          behaviour,
        },
      ],
    },
  );

describe('churn', () => {
  const scenario = doorOnly(
    { plans: { flex: { count: 150, attendance: 0.7 } } },
    {
      churn: { monthlyRate: 0.3, declineDays: 28, declineTo: 0.1 },
      payments: {
        profiles: { on_time: 1 },
        churnerProfiles: { on_time: 0.2, late: 0.3, very_late: 0.3, defaulter: 0.2 },
      },
    },
  );
  const START = '2026-01-05';
  const DAYS = 150;
  const run = runScenario(scenario, START, DAYS);
  const members = recordsOf(run.truth, 'member');
  const visitsOf = new Map<string, number[]>();
  for (const v of recordsOf(run.truth, 'visit'))
    visitsOf.set(v.member, [...(visitsOf.get(v.member) ?? []), Date.parse(v.from)]);
  const end = addDays(START, DAYS);
  const churners = members.filter(
    (m) => m.churnDate !== null && m.churnDate >= addDays(START, 56) && m.churnDate < end,
  );
  const count = (member: string, churnDate: string, fromDays: number, toDays: number): number => {
    const churnAt = Date.parse(`${churnDate}T00:00:00Z`);
    return (visitsOf.get(member) ?? []).filter(
      (t) => t >= churnAt - fromDays * DAY_MS && t < churnAt - toDays * DAY_MS,
    ).length;
  };

  it('records who churns and when, with the last visit before that date', () => {
    const records = recordsOf(run.truth, 'churn');
    expect(churners.length).toBeGreaterThan(20);
    expect(records.length).toBeGreaterThanOrEqual(churners.length);
    for (const r of records) {
      const member = members.find((m) => m.member === r.member);
      expect(r.date).toBe(member?.churnDate);
      if (r.lastVisit !== null) expect(r.lastVisit < r.date).toBe(true);
      expect(member?.declineFrom).toBe(addDays(r.date, -28));
    }
  });

  it('stops visits on the churn date', () => {
    for (const m of churners) {
      const churnAt = Date.parse(`${m.churnDate}T00:00:00Z`) - 2 * 3_600_000;
      expect((visitsOf.get(m.member) ?? []).filter((t) => t >= churnAt)).toEqual([]);
    }
  });

  it("fades churners' visits over the weeks before, while other members keep coming", () => {
    const late = churners.reduce((n, m) => n + count(m.member, m.churnDate ?? '', 14, 0), 0);
    const early = churners.reduce((n, m) => n + count(m.member, m.churnDate ?? '', 56, 42), 0);
    expect(early).toBeGreaterThan(100);
    // attendance falls linearly to a tenth over 28 days: about a third of the usual in the last fortnight
    expect(late / early).toBeLessThan(0.55);
    expect(late / early).toBeGreaterThan(0.15);
    const stayers = members.filter((m) => m.churnDate === null || m.churnDate >= end);
    const reference = addDays(START, 120);
    const stayLate = stayers.reduce((n, m) => n + count(m.member, reference, 14, 0), 0);
    const stayEarly = stayers.reduce((n, m) => n + count(m.member, reference, 56, 42), 0);
    expect(stayLate / stayEarly).toBeGreaterThan(0.8);
  });

  it('gives every member a payment lateness profile, worse for churners when asked', () => {
    const soon = members.filter((m) => m.churnDate !== null && m.churnDate < addDays(START, 365));
    const rest = members.filter((m) => !soon.includes(m));
    expect(rest.every((m) => m.lateness.profile === 'on_time' && m.lateness.meanDaysLate === 0)).toBe(true);
    const lateShare = soon.filter((m) => m.lateness.profile !== 'on_time').length / soon.length;
    expect(lateShare).toBeGreaterThan(0.6);
    expect(soon.find((m) => m.lateness.profile === 'defaulter')?.lateness).toEqual({
      profile: 'defaulter',
      meanDaysLate: 45,
      sdDaysLate: 20,
      missRate: 0.5,
    });
  });
});

describe('arrivals and attendance', () => {
  const scenario = doorOnly(
    { plans: { flex: { count: 80, attendance: 0.6 } } },
    {
      attendance: { mon: 1, fri: 0.5, sat: 0 },
      arrival: { default: { '8': 1, '9': 3, '11': 1 } },
      departure: { default: { '17': 1, '18': 1 } },
      churn: { monthlyRate: 0 },
    },
  );
  const run = runScenario(scenario, '2026-03-02', 28);
  const firstVisits = new Map<string, number>();
  for (const v of recordsOf(run.truth, 'visit')) {
    const key = `${v.member}:${localDate(Date.parse(v.from), TZ)}`;
    if (!firstVisits.has(key)) firstVisits.set(key, Date.parse(v.from));
  }

  it('draws arrival hours from the weights of the weekday', () => {
    const hours = [...firstVisits.values()].map((t) => Math.floor(localMinutes(t, TZ) / 60));
    const share = (h: number): number => hours.filter((x) => x === h).length / hours.length;
    expect(share(9)).toBeGreaterThan(0.5);
    expect(share(9)).toBeLessThan(0.7);
    expect(share(8)).toBeGreaterThan(0.12);
    expect(share(10)).toBe(0);
    expect(hours.every((h) => [8, 9, 11].includes(h))).toBe(true);
  });

  it('scales attendance per weekday', () => {
    const byDay = (weekday: number): number =>
      [...firstVisits.keys()].filter((k) => new Date(`${k.split(':')[1]}T12:00:00Z`).getUTCDay() === weekday)
        .length;
    expect(byDay(5) / byDay(1)).toBeGreaterThan(0.35);
    expect(byDay(5) / byDay(1)).toBeLessThan(0.65);
    expect(byDay(6)).toBe(0);
  });
});

describe('meetings', () => {
  const scenario = scenarioWith(
    {},
    {
      sites: [
        {
          id: 'rooms',
          layout: { desksPerFloor: 30, meetingRoomsPerFloor: 6, boothsPerFloor: 0, deskSensors: false },
          population: { plans: { flex: { count: 40 } } },
          behaviour: {
            bookings: { propensity: 1.5, cancel: 0.1, noShow: 0.2, ghost: 0.15, checkIn: 0.5 },
            churn: { monthlyRate: 0 },
          },
        },
      ],
    },
  );
  const run = runScenario(scenario, '2026-03-02', 56);
  const bookings = recordsOf(run.truth, 'booking');
  const held = bookings.filter((b) => b.outcome !== 'cancelled');
  const presence = recordsOf(run.truth, 'presence');
  const inRoom = (resource: string, from: number, to: number) =>
    presence.filter((p) => p.resource === resource && Date.parse(p.from) < to && Date.parse(p.to) > from);
  const sensorOf = (resource: string) => `pir-${resource}`;

  it('holds the configured cancellation, no-show and ghost shares', () => {
    expect(held.length).toBeGreaterThan(600);
    const share = (outcome: string) => held.filter((b) => b.outcome === outcome).length / held.length;
    expect(
      Math.abs(bookings.filter((b) => b.outcome === 'cancelled').length / bookings.length - 0.1),
    ).toBeLessThan(0.04);
    expect(Math.abs(share('no_show') - 0.2)).toBeLessThan(0.035);
    expect(Math.abs(share('ghost') - 0.15)).toBeLessThan(0.035);
  });

  it('makes ghost meetings check in, then empties the room well before the end', () => {
    const ghosts = bookings.filter((b) => b.outcome === 'ghost');
    expect(ghosts.length).toBeGreaterThan(100);
    for (const g of ghosts) {
      const start = Date.parse(g.start);
      const end = Date.parse(g.end);
      const emptied = Date.parse(g.emptiedAt ?? '');
      expect(emptied).toBeLessThanOrEqual(end - 15 * 60_000);
      expect(g.evidenceAt).not.toBeNull();
      const spans = inRoom(g.resource, start - 15 * 60_000, end);
      expect(spans).toHaveLength(1);
      expect(spans[0]).toMatchObject({ member: g.member, to: g.emptiedAt });
      const readings = run.events.filter(
        (e) => e.type === 'sensor' && e.device === sensorOf(g.resource) && e.at > emptied && e.at < end,
      );
      expect(readings).toEqual([]);
      const last = run.events.find(
        (e) => e.type === 'sensor' && e.device === sensorOf(g.resource) && e.at === emptied,
      );
      expect(last?.type === 'sensor' && last.payload.value).toBe(0);
    }
  });

  it('leaves no-shows without any presence, and attended meetings occupied to near their end', () => {
    for (const b of held) {
      const start = Date.parse(b.start);
      const end = Date.parse(b.end);
      const spans = inRoom(b.resource, start - 15 * 60_000, end);
      if (b.outcome === 'no_show') {
        expect(spans).toEqual([]);
        expect(b.evidenceAt).toBeNull();
      }
      if (b.outcome === 'attended') {
        expect(spans).toHaveLength(1);
        expect(end - Date.parse(spans[0].to)).toBeLessThanOrEqual(8 * 60_000);
        expect(b.evidenceAt).not.toBeNull();
      }
    }
  });
});
