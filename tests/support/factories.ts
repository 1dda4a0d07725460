import { SiteDocumentInput } from '@cw/sites';

/** A small site: one floor, two rooms with a door and a presence sensor each, a desk, an entrance with a counter. */
export function siteDocument(overrides: Partial<SiteDocumentInput> = {}): SiteDocumentInput {
  return {
    name: 'Test Space',
    timeZone: 'Europe/Madrid',
    currency: 'EUR',
    taxRateBp: 2100,
    openingHours: [{ day: 'mon', open: '08:00', close: '20:00' }],
    floors: [
      {
        id: 'f0',
        name: 'Ground',
        plan: { width: 20, height: 10 },
        resources: [
          {
            id: 'room-1',
            name: 'Room 1',
            kind: 'meeting_room',
            capacity: 6,
            polygon: [
              [0, 0],
              [5, 0],
              [5, 5],
              [0, 5],
            ],
          },
          {
            id: 'room-2',
            name: 'Room 2',
            kind: 'meeting_room',
            capacity: 4,
            polygon: [
              [5, 0],
              [10, 0],
              [10, 5],
              [5, 5],
            ],
          },
          {
            id: 'desk-1',
            name: 'Desk 1',
            kind: 'desk',
            polygon: [
              [12, 0],
              [14, 0],
              [14, 2],
              [12, 2],
            ],
          },
        ],
      },
    ],
    devices: [
      { id: 'door-main', type: 'door', name: 'Entrance', resources: [] },
      { id: 'door-room-1', type: 'door', name: 'Room 1 door', resources: ['room-1'] },
      { id: 'pir-room-1', type: 'sensor', name: 'Room 1 presence', resources: ['room-1'] },
      { id: 'pir-room-2', type: 'sensor', name: 'Room 2 presence', resources: ['room-2'] },
      { id: 'counter-main', type: 'sensor', name: 'Entrance counter', resources: [] },
    ],
    ...overrides,
  };
}

let counter = 0;
/** Unique ids per test so tests never share rows even when they share a database. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

export const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
