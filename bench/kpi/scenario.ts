import { resolveScenario, Scenario } from '@cw/simulators';

export const BENCH_SITE = 'bench-kpi';
export const BENCH_TZ = 'Europe/Madrid';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
/** Per floor: six meeting rooms and four phone booths, the rest desks; a floor holds at most this many resources. */
const ROOMS = 6;
const BOOTHS = 4;
const PER_FLOOR = 100;
/** Arrivals and departures inside the opening hours (the simulator refuses a scenario that leaves them). */
const BEHAVIOUR = {
  arrival: { default: { '08': 4, '09': 6, '10': 3, '11': 1, '13': 1, '14': 1 } },
  departure: { default: { '12': 1, '13': 1, '16': 2, '17': 5, '18': 5, '19': 2 } },
  bookings: { propensity: 0.3, noShow: 0.15, ghost: 0.06 },
  // a year without newcomers: keep the population from thinning out too much
  churn: { monthlyRate: 0.01 },
};

/**
 * The benchmark site as a simulator scenario: `resources` resources (desks, meeting rooms with a door, phone booths,
 * each with a presence sensor) over floors of up to 100, open Mon-Fri 08:00-20:00 in Madrid, with about 1.5 members
 * per desk. Arrivals and departures stay inside the opening hours; no device or transport noise, since the
 * benchmark measures the KPI path, not how it copes with bad data (the truth test does that).
 */
export function benchScenario(resources: number, seed = 2026): Scenario {
  if (!Number.isInteger(resources) || resources < ROOMS + BOOTHS + 1)
    throw new Error(`resources must be a whole number of at least ${ROOMS + BOOTHS + 1}, got ${resources}`);
  const floors = Math.ceil(resources / PER_FLOOR);
  const desksPerFloor = Math.ceil(resources / floors) - ROOMS - BOOTHS;
  const openingHours = WEEKDAYS.map((day) => ({ day, open: '08:00', close: '20:00' }));
  const layout = resolveScenario({
    name: 'bench-kpi-layout',
    sites: [
      {
        id: BENCH_SITE,
        layout: {
          name: 'KPI bench',
          timeZone: BENCH_TZ,
          openingHours,
          floors,
          desksPerFloor,
          meetingRoomsPerFloor: ROOMS,
          boothsPerFloor: BOOTHS,
        },
        population: { plans: { flex: { count: 1 } } },
        behaviour: BEHAVIOUR,
      },
    ],
  }).sites[0].document;

  // The layout is the same on every floor: drop the surplus desks (and their sensors) from the last floors.
  let surplus = floors * (desksPerFloor + ROOMS + BOOTHS) - resources;
  const dropped = new Set<string>();
  for (const floor of [...layout.floors].reverse()) {
    while (surplus > 0 && floor.resources[floor.resources.length - 1]?.kind === 'desk') {
      dropped.add(floor.resources.pop()!.id);
      surplus--;
    }
  }
  const document = {
    ...layout,
    devices: layout.devices.filter((d) => !d.resources.some((r) => dropped.has(r))),
  };
  const desks = document.floors.flatMap((f) => f.resources).filter((r) => r.kind === 'desk').length;

  return resolveScenario(
    {
      name: 'bench-kpi',
      description: `${resources} resources, ${desks} of them desks, Mon-Fri 08:00-20:00`,
      seed,
      sites: [
        {
          id: BENCH_SITE,
          site: document,
          population: {
            members: Math.round(desks * 1.5),
            companies: Math.max(1, Math.round(desks / 10)),
            plans: {
              flex: { share: 0.5 },
              fixed_desk: { share: 0.2 },
              private_office: { share: 0.15 },
              day_pass: { share: 0.15 },
            },
          },
          behaviour: BEHAVIOUR,
        },
      ],
    },
    { source: 'bench/kpi/scenario.ts' },
  );
}
