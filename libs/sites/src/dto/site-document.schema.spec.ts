import { fieldErrors } from '@cw/common';
import { SiteDocumentInput, siteDocumentSchema } from './site-document.schema';
import { deviceBodySchema, floorBodySchema, resourceBodySchema } from './site-parts.schema';

const square = (x: number, y: number, size = 2): [number, number][] => [
  [x, y],
  [x + size, y],
  [x + size, y + size],
  [x, y + size],
];

function site(overrides: Partial<SiteDocumentInput> = {}): SiteDocumentInput {
  return {
    name: 'Test site',
    timeZone: 'Europe/Madrid',
    currency: 'EUR',
    openingHours: [{ day: 'mon', open: '08:00', close: '20:00' }],
    floors: [
      {
        id: 'f1',
        name: 'Ground',
        plan: { width: 20, height: 10 },
        resources: [
          { id: 'room-a', name: 'Room A', kind: 'meeting_room', polygon: square(0, 0) },
          { id: 'desk-1', name: 'Desk 1', kind: 'desk', polygon: square(5, 5) },
        ],
      },
    ],
    devices: [
      { id: 'door-a', type: 'door', name: 'Door A', resources: ['room-a'] },
      { id: 'pir.desk-1', type: 'sensor', name: 'PIR desk 1', resources: ['desk-1'] },
      { id: 'door:main', type: 'door', name: 'Main door', resources: ['room-a', 'desk-1'] },
    ],
    ...overrides,
  };
}

function errorsOf(input: unknown) {
  const parsed = siteDocumentSchema.safeParse(input);
  if (parsed.success) return [];
  return fieldErrors(parsed.error);
}

const paths = (input: unknown) => errorsOf(input).map((e) => e.path);

describe('siteDocumentSchema', () => {
  it('accepts a valid document and fills the defaults', () => {
    const parsed = siteDocumentSchema.parse(site());
    expect(parsed.taxRateBp).toBe(0);
    expect(parsed.floors[0].level).toBe(0);
    expect(parsed.floors[0].resources[0]).toMatchObject({ capacity: 1, bookable: true, basePriceMinor: 0 });
  });

  it('accepts the id a GET answer carries, so the document can be PUT back unchanged', () => {
    expect(siteDocumentSchema.parse({ ...site(), id: 'madrid' }).id).toBe('madrid');
  });

  it('names the device resource that points nowhere', () => {
    const doc = site();
    doc.devices![2] = { id: 'door:main', type: 'door', name: 'Main door', resources: ['ghost', 'room-a'] };
    expect(errorsOf(doc)).toEqual([{ path: 'devices.2.resources.0', message: 'unknown resource ghost' }]);
  });

  it('reports duplicate floor, resource and device ids at the second occurrence', () => {
    const doc = site({
      floors: [
        {
          id: 'f1',
          name: 'A',
          plan: { width: 10, height: 10 },
          resources: [{ id: 'r1', name: 'R', kind: 'desk', polygon: square(0, 0) }],
        },
        {
          id: 'f1',
          name: 'B',
          plan: { width: 10, height: 10 },
          resources: [{ id: 'r1', name: 'R', kind: 'desk', polygon: square(0, 0) }],
        },
      ],
      devices: [
        { id: 'd1', type: 'door', name: 'D', resources: ['r1'] },
        { id: 'd1', type: 'sensor', name: 'S', resources: [] },
      ],
    });
    expect(paths(doc)).toEqual(['floors.1.id', 'floors.1.resources.0.id', 'devices.1.id']);
  });

  it('reports each polygon point outside the floor plan, and outline points too', () => {
    const doc = site();
    doc.floors![0].resources![1].polygon = [
      [18, 8],
      [21, 8],
      [21, 11],
      [18, 9],
    ];
    doc.floors![0].plan.outline = [
      [0, 0],
      [20, 0],
      [20, -1],
    ];
    expect(errorsOf(doc)).toEqual([
      { path: 'floors.0.plan.outline.2', message: 'point lies outside the floor plan' },
      { path: 'floors.0.resources.1.polygon.1', message: 'point lies outside the floor plan' },
      { path: 'floors.0.resources.1.polygon.2', message: 'point lies outside the floor plan' },
    ]);
  });

  it('refuses a time zone that is not IANA', () => {
    expect(errorsOf(site({ timeZone: 'Mars/Olympus_Mons' }))).toEqual([
      { path: 'timeZone', message: 'must be an IANA time zone such as Europe/Madrid' },
    ]);
  });

  it('refuses a slot that closes before it opens, and overlapping slots of one day', () => {
    const openingHours = [
      { day: 'mon' as const, open: '08:00', close: '14:00' },
      { day: 'tue' as const, open: '18:00', close: '09:00' },
      { day: 'mon' as const, open: '13:00', close: '20:00' },
      { day: 'tue' as const, open: '09:00', close: '24:00' },
    ];
    expect(errorsOf(site({ openingHours }))).toEqual([
      { path: 'openingHours.1.close', message: 'must be after open' },
      { path: 'openingHours.2', message: 'overlaps slot 0 on mon' },
    ]);
  });

  it('names unknown and missing fields', () => {
    const noName: Record<string, unknown> = { ...site(), colour: 'red' };
    delete noName.name;
    expect(errorsOf(noName)).toEqual(
      expect.arrayContaining([
        { path: 'name', message: 'required' },
        { path: 'colour', message: 'unknown field' },
      ]),
    );
  });
});

describe('bodies of the finer endpoints', () => {
  it('take a floor without resources and check its outline', () => {
    expect(floorBodySchema.safeParse({ name: 'F', plan: { width: 5, height: 5 } }).success).toBe(true);
    const bad = floorBodySchema.safeParse({
      name: 'F',
      plan: { width: 5, height: 5, outline: square(4, 4) },
      resources: [],
    });
    expect(bad.success ? [] : fieldErrors(bad.error).map((e) => e.path)).toEqual([
      'resources',
      'plan.outline.1',
      'plan.outline.2',
      'plan.outline.3',
    ]);
  });

  it('need a floor on a resource and keep unknown fields out', () => {
    const bad = resourceBodySchema.safeParse({ name: 'R', kind: 'desk', polygon: square(0, 0), seats: 2 });
    expect(
      bad.success
        ? []
        : fieldErrors(bad.error)
            .map((e) => e.path)
            .sort(),
    ).toEqual(['floor', 'seats']);
  });

  it('take device ids with dots and colons', () => {
    expect(deviceBodySchema.parse({ id: 'a.b:c', type: 'sensor', name: 'S' }).resources).toEqual([]);
  });
});
