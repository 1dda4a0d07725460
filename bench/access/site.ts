import { SiteDocumentInput } from '@cw/sites';

export const ROOMS = 10;
export const ENTRANCES = 3;

const square = (x: number, y: number, size: number): [number, number][] => [
  [x, y],
  [x + size, y],
  [x + size, y + size],
  [x, y + size],
];

/** A site open around the clock (so any hour of the run grants), three entrances and ten rooms with a door each. */
export function accessSiteDocument(): SiteDocumentInput {
  const everyDay = (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((day) => ({
    day,
    open: '00:00',
    close: '24:00',
  }));
  return {
    name: 'Access bench',
    timeZone: 'Europe/Madrid',
    currency: 'EUR',
    taxRateBp: 2100,
    openingHours: everyDay,
    floors: [
      {
        id: 'f0',
        name: 'Ground',
        plan: { width: 10 * ROOMS, height: 10 },
        resources: Array.from({ length: ROOMS }, (_, i) => ({
          id: `room-${i + 1}`,
          name: `Room ${i + 1}`,
          kind: 'meeting_room' as const,
          capacity: 6,
          polygon: square(i * 10, 0, 5),
        })),
      },
    ],
    devices: [
      ...Array.from({ length: ENTRANCES }, (_, i) => ({
        id: `entrance-${i + 1}`,
        type: 'door' as const,
        name: `Entrance ${i + 1}`,
        resources: [],
      })),
      ...Array.from({ length: ROOMS }, (_, i) => ({
        id: `door-room-${i + 1}`,
        type: 'door' as const,
        name: `Room ${i + 1} door`,
        resources: [`room-${i + 1}`],
      })),
    ],
  };
}
