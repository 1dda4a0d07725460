import { recordsOf, runScenario, scenarioWith } from '../testing/scenario-fixtures';

describe('population', () => {
  const scenario = scenarioWith(
    {},
    {
      sites: [
        {
          id: 'pop',
          layout: { desksPerFloor: 40, meetingRoomsPerFloor: 1, boothsPerFloor: 0 },
          population: {
            members: 100,
            companies: 6,
            freelancers: 0.5,
            plans: {
              flex: { share: 0.5 },
              fixed_desk: { share: 0.1 },
              private_office: { share: 0.2 },
              day_pass: { share: 0.2 },
            },
          },
        },
      ],
    },
  );
  const run = runScenario(scenario, '2026-03-02', 14);
  const members = recordsOf(run.truth, 'member');
  const byPlan = (plan: string) => members.filter((m) => m.plan === plan);

  it('splits members across plans by share', () => {
    expect(
      [byPlan('flex'), byPlan('fixed_desk'), byPlan('private_office'), byPlan('day_pass')].map(
        (l) => l.length,
      ),
    ).toEqual([50, 10, 20, 20]);
    expect(new Set(members.map((m) => m.member)).size).toBe(100);
  });

  it('reserves desks for fixed and office members, offices in blocks per company', () => {
    const desks = [...byPlan('fixed_desk'), ...byPlan('private_office')].map((m) => m.desk);
    expect(new Set(desks).size).toBe(30);
    expect(byPlan('flex').every((m) => m.desk === null)).toBe(true);
    const offices = byPlan('private_office');
    expect(offices.every((m) => m.company !== null)).toBe(true);
    const companies = [...new Set(offices.map((m) => m.company))];
    expect(companies).toHaveLength(4);
    // a company's desks are next to each other
    expect(offices.map((m) => m.company)).toEqual([...offices.map((m) => m.company)].sort());
    expect(byPlan('day_pass').every((m) => m.company === null && m.credential.startsWith('pass-'))).toBe(
      true,
    );
    const flexCompanies = byPlan('flex').map((m) => m.company);
    expect(flexCompanies.filter((c) => c === null).length).toBeGreaterThan(15);
    expect(flexCompanies.filter((c) => c !== null).every((c) => !companies.includes(c))).toBe(true);
  });

  it('seats nobody else at a reserved desk, and a day-pass holder opens the door with a QR code', () => {
    const owner = new Map(members.filter((m) => m.desk).map((m) => [m.desk, m.member]));
    for (const p of recordsOf(run.truth, 'presence')) {
      if (owner.has(p.resource)) expect(p.member).toBe(owner.get(p.resource));
    }
    const dayPass = new Set(byPlan('day_pass').map((m) => m.member));
    const doors = run.events.filter((e) => e.type === 'door');
    expect(
      doors.some(
        (e) => e.type === 'door' && dayPass.has(e.payload.member ?? '') && e.payload.method === 'qr',
      ),
    ).toBe(true);
  });
});
