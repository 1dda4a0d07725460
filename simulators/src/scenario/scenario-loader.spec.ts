import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { siteDocumentSchema } from '@cw/sites';
import { SCENARIOS_DIR, smallTestWith } from '../testing/scenario-fixtures';
import { ScenarioError, ScenarioIssue } from './scenario-error';
import { loadScenario, parseScenario, resolveScenario } from './scenario-loader';

/** The issues a scenario fails with, or [] when it loads. */
function issuesOf(input: unknown, baseDir = SCENARIOS_DIR): ScenarioIssue[] {
  try {
    resolveScenario(input, { source: 'test.yaml', baseDir });
    return [];
  } catch (error) {
    if (error instanceof ScenarioError) return error.issues;
    throw error;
  }
}
const pathsOf = (input: unknown): string[] => issuesOf(input).map((i) => i.path);

describe('shipped scenarios', () => {
  it('load: demo, small-test and large-load', () => {
    const demo = loadScenario(join(SCENARIOS_DIR, 'demo.yaml'));
    const demoSite = siteDocumentSchema.parse(
      JSON.parse(readFileSync(join(SCENARIOS_DIR, 'demo-site.json'), 'utf8')),
    );
    expect(demo.sites.map((s) => s.id)).toEqual(['demo']);
    expect(demo.sites[0].document).toEqual(demoSite);
    const small = loadScenario(join(SCENARIOS_DIR, 'small-test.yaml'));
    expect(small).toMatchObject({ name: 'small-test', seed: 7, start: '2026-03-02', days: 7 });
    expect(small.sites[0].document.devices).toHaveLength(12);
    const large = loadScenario(join(SCENARIOS_DIR, 'large-load.yaml'));
    expect(large.sites).toHaveLength(6);
    expect(large.sites.reduce((n, s) => n + s.document.devices.length, 0)).toBeGreaterThan(1500);
    // anchors are shared, `<<:` merges extend them
    expect(large.sites[5].document.timeZone).toBe('America/New_York');
    expect(large.sites[5].population).toEqual(large.sites[0].population);
  });
});

describe('scenario validation', () => {
  it('accepts the small test scenario unchanged and fills in defaults', () => {
    const scenario = resolveScenario(smallTestWith(), { baseDir: SCENARIOS_DIR });
    expect(scenario.topicPrefix).toBe('cw');
    expect(scenario.sites[0].behaviour.bookings.cancel).toBe(0.05);
    expect(scenario.sites[0].devices.late.rate).toBe(0);
  });

  it.each([
    [
      'a booking room',
      { behaviour: { bookings: { rooms: ['room-a', 'room-z'] } } },
      'sites.0.behaviour.bookings.rooms.1',
      'unknown resource room-z',
    ],
    [
      'a reserved desk',
      { population: { plans: { fixed_desk: { count: 2, desks: ['desk-1', 'desk-9'] } } } },
      'sites.0.population.plans.fixed_desk.desks.1',
      'unknown resource desk-9',
    ],
    [
      'an outage device',
      {
        devices: {
          outages: [{ device: 'pir-nope', from: '2026-03-02T10:00:00Z', to: '2026-03-02T11:00:00Z' }],
        },
      },
      'sites.0.devices.outages.0.device',
      'unknown device pir-nope',
    ],
    [
      'a device override',
      { devices: { overrides: { 'pir-nope': { miss: 0.5 } } } },
      'sites.0.devices.overrides.pir-nope',
      'unknown device pir-nope',
    ],
  ])('names the path of an unknown resource or device: %s', (_, patch, path, message) => {
    expect(issuesOf(smallTestWith(patch))).toEqual([{ path, message }]);
  });

  it('refuses a resource of the wrong kind', () => {
    expect(issuesOf(smallTestWith({ behaviour: { bookings: { rooms: ['desk-3'] } } }))).toEqual([
      {
        path: 'sites.0.behaviour.bookings.rooms.0',
        message: 'desk-3 is not a bookable meeting room with a door or presence sensor',
      },
    ]);
    expect(
      issuesOf(smallTestWith({ population: { plans: { private_office: { desks: ['room-a', 'desk-6'] } } } })),
    ).toEqual([
      {
        path: 'sites.0.population.plans.private_office.desks.0',
        message: 'room-a is a meeting_room, not a desk',
      },
    ]);
  });

  it.each([
    [{ devices: { presence: { miss: -0.1 } } }, 'sites.0.devices.presence.miss'],
    [{ devices: { offline: { perDeviceDay: -1 } } }, 'sites.0.devices.offline.perDeviceDay'],
    [{ behaviour: { bookings: { propensity: -2 } } }, 'sites.0.behaviour.bookings.propensity'],
    [{ behaviour: { arrival: { default: { '9': -1, '10': 2 } } } }, 'sites.0.behaviour.arrival.default.9'],
    [{ population: { plans: { flex: { count: -3 } } } }, 'sites.0.population.plans.flex.count'],
  ])('refuses a negative rate: %j', (patch, path) => {
    expect(pathsOf(smallTestWith(patch))).toEqual([path]);
    expect(issuesOf(smallTestWith(patch))[0].message).toMatch(/negative/);
  });

  it('refuses a probability above 1, and no-show plus ghost above 1', () => {
    expect(pathsOf(smallTestWith({ devices: { duplicate: 1.5 } }))).toEqual(['sites.0.devices.duplicate']);
    expect(issuesOf(smallTestWith({ behaviour: { bookings: { noShow: 0.6, ghost: 0.5 } } }))).toEqual([
      { path: 'sites.0.behaviour.bookings.ghost', message: 'noShow + ghost must not exceed 1' },
    ]);
  });

  describe('impossible schedules', () => {
    it('opening hours that close before they open (inline site or site file)', () => {
      const hours = [{ day: 'mon', open: '18:00', close: '08:00' }];
      expect(issuesOf(smallTestWith({ site: { openingHours: hours } }))).toEqual([
        { path: 'sites.0.site.openingHours.0.close', message: 'must be after open' },
      ]);
      const dir = mkdtempSync(join(tmpdir(), 'scenario-'));
      const site = { ...(smallTestWith().sites as Array<{ site: object }>)[0].site, openingHours: hours };
      writeFileSync(join(dir, 'bad-site.json'), JSON.stringify(site));
      const input = smallTestWith({ site: undefined, siteFile: 'bad-site.json' });
      const issues = issuesOf(input, dir);
      rmSync(dir, { recursive: true, force: true });
      expect(issues).toEqual([
        { path: 'sites.0.siteFile.openingHours.0.close', message: 'must be after open' },
      ]);
    });

    it('arrivals or departures outside the opening hours', () => {
      expect(issuesOf(smallTestWith({ behaviour: { arrival: { default: { '6': 1, '9': 3 } } } }))).toEqual([
        {
          path: 'sites.0.behaviour.arrival.default.6',
          message: '06:00-07:00 lies outside the opening hours on mon (08:00-20:00)',
        },
      ]);
      expect(pathsOf(smallTestWith({ behaviour: { departure: { fri: { '21:00': 1 } } } }))).toEqual([
        'sites.0.behaviour.departure.fri.21:00',
      ]);
      expect(issuesOf(smallTestWith({ behaviour: { arrival: { sun: { '10': 1 } } } }))).toEqual([
        { path: 'sites.0.behaviour.arrival.sun', message: 'the site is closed on sun' },
      ]);
    });

    it('a meeting or a minimum stay longer than the longest opening', () => {
      expect(
        issuesOf(smallTestWith({ behaviour: { bookings: { lengths: { '60': 1, '780': 1 } } } })),
      ).toEqual([
        {
          path: 'sites.0.behaviour.bookings.lengths.780',
          message: 'a 780-minute meeting is longer than the longest opening (720 minutes)',
        },
      ]);
      expect(pathsOf(smallTestWith({ behaviour: { minStayMinutes: 800 } }))).toEqual([
        'sites.0.behaviour.minStayMinutes',
      ]);
    });

    it('an outage that ends before it starts', () => {
      const outage = { device: 'pir-desk-1', from: '2026-03-02T12:00:00Z', to: '2026-03-02T11:00:00Z' };
      expect(issuesOf(smallTestWith({ devices: { outages: [outage] } }))).toEqual([
        { path: 'sites.0.devices.outages.0.to', message: 'must be after from' },
      ]);
    });
  });

  it('checks the population against the desks of the site', () => {
    expect(issuesOf(smallTestWith({ population: { plans: { fixed_desk: { count: 3 } } } }))).toEqual([
      {
        path: 'sites.0.population.plans.fixed_desk.count',
        message: '3 members need as many desks; 2 listed',
      },
    ]);
    const unlisted = { population: { plans: { fixed_desk: { count: 5, desks: undefined } } } };
    expect(issuesOf(smallTestWith(unlisted))).toEqual([
      {
        path: 'sites.0.population.plans.private_office.count',
        message: 'fixed and office members need 7 desks; the site has 6',
      },
    ]);
    expect(
      issuesOf(smallTestWith({ population: { plans: { flex: { count: undefined, share: 0.5 } } } })),
    ).toEqual([{ path: 'sites.0.population.members', message: 'required when a plan gives a share' }]);
    const both = issuesOf(smallTestWith({ population: { members: 12, plans: { flex: { share: 0.5 } } } }));
    expect(both).toEqual([{ path: 'sites.0.population.plans.flex', message: 'give either count or share' }]);
  });

  it('reports every problem at once, and structural ones with their paths', () => {
    const input = smallTestWith({ devices: { drop: -1, overrides: { x: {} } }, colour: 'blue' });
    expect(pathsOf(input).sort()).toEqual(['sites.0', 'sites.0.devices.drop']);
    expect(issuesOf(input).find((i) => i.path === 'sites.0')?.message).toMatch(/Unrecognized key.*colour/);
    const twice = smallTestWith();
    twice.sites = [...(twice.sites as object[]), ...(twice.sites as object[])];
    expect(pathsOf(twice)).toEqual(['sites.1.id']);
    const both = smallTestWith({ layout: { floors: 1 } });
    expect(issuesOf(both)).toEqual([
      { path: 'sites.0', message: 'give exactly one of siteFile, site or layout' },
    ]);
  });

  it('names a missing site file', () => {
    const [issue] = issuesOf(smallTestWith({ site: undefined, siteFile: 'nope.json' }));
    expect(issue.path).toBe('sites.0.siteFile');
    expect(issue.message).toMatch(/^nope.json: .*ENOENT/);
  });

  it('gives a clear message for bad YAML, with line and column', () => {
    const text = 'name: broken\nsites:\n  - id: x\n   population: {}\n';
    expect(() => parseScenario(text, { source: 'broken.yaml' })).toThrow(ScenarioError);
    try {
      parseScenario(text, { source: 'broken.yaml' });
    } catch (error) {
      const issues = (error as ScenarioError).issues;
      expect(issues).toHaveLength(1);
      expect(issues[0].path).toBe('(file)');
      expect(issues[0].message).toMatch(/^YAML syntax error: [^\n]+ at line 4, column \d+$/);
      expect((error as Error).message).toContain('invalid scenario broken.yaml');
    }
    expect(() => parseScenario('name: a\nname: b\n')).toThrow(/Map keys must be unique/);
  });

  it('names a scenario file that does not exist', () => {
    expect(() => loadScenario('/nowhere/x.yaml')).toThrow(
      /invalid scenario \/nowhere\/x.yaml:\n {2}\(file\): ENOENT/,
    );
  });
});
