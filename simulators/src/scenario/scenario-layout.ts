import { DeviceInput, FloorInput, ResourceInput, SiteDocumentInput } from '@cw/sites';
import { LayoutConfig } from './scenario.schema';

const WEEKDAY_HOURS: SiteDocumentInput['openingHours'] = [
  ...(['mon', 'tue', 'wed', 'thu', 'fri'] as const).map((day) => ({ day, open: '07:00', close: '21:00' })),
  { day: 'sat', open: '09:00', close: '14:00' },
];

/** Square cells on a grid, so every polygon lies inside the floor plan whatever the counts. */
const CELL = 3;
const COLUMNS = 40;

function cell(index: number): [number, number][] {
  const x = (index % COLUMNS) * CELL;
  const y = Math.floor(index / COLUMNS) * CELL;
  return [
    [x, y],
    [x + CELL - 0.5, y],
    [x + CELL - 0.5, y + CELL - 0.5],
    [x, y + CELL - 0.5],
  ];
}

/**
 * A plain site from counts: per floor desks, meeting rooms (a door and a presence sensor each) and phone booths,
 * plus an entrance door and people counter. Ids are stable (`desk-2-017`), so a scenario can name them.
 */
export function layoutSiteDocument(siteId: string, layout: LayoutConfig): SiteDocumentInput {
  const floors: FloorInput[] = [];
  const devices: DeviceInput[] = [
    { id: 'door-main', type: 'door', name: 'Main entrance', resources: [] },
    { id: 'counter-main', type: 'sensor', name: 'People counter, main entrance', resources: [] },
  ];
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  for (let f = 0; f < layout.floors; f++) {
    const resources: ResourceInput[] = [];
    const add = (id: string, kind: ResourceInput['kind'], capacity: number, bookable: boolean): void => {
      resources.push({
        id,
        name: id,
        kind,
        capacity,
        bookable,
        basePriceMinor: 0,
        polygon: cell(resources.length),
      });
    };
    for (let r = 1; r <= layout.meetingRoomsPerFloor; r++) {
      const id = `room-${f}-${pad(r, 2)}`;
      add(id, 'meeting_room', 4 + 2 * (r % 4), true);
      devices.push({ id: `door-${id}`, type: 'door', name: `Door ${id}`, resources: [id] });
      devices.push({ id: `pir-${id}`, type: 'sensor', name: `Presence ${id}`, resources: [id] });
    }
    for (let b = 1; b <= layout.boothsPerFloor; b++) {
      const id = `booth-${f}-${pad(b, 2)}`;
      add(id, 'phone_booth', 1, false);
      devices.push({ id: `pir-${id}`, type: 'sensor', name: `Presence ${id}`, resources: [id] });
    }
    for (let d = 1; d <= layout.desksPerFloor; d++) {
      const id = `desk-${f}-${pad(d, 3)}`;
      add(id, 'desk', 1, true);
      if (layout.deskSensors)
        devices.push({ id: `pir-${id}`, type: 'sensor', name: `Presence ${id}`, resources: [id] });
    }
    const rows = Math.max(1, Math.ceil(resources.length / COLUMNS));
    floors.push({
      id: `f${f}`,
      name: `Floor ${f}`,
      level: f,
      plan: { width: COLUMNS * CELL, height: rows * CELL },
      resources,
    });
  }
  return {
    name: layout.name ?? `Generated site ${siteId}`,
    timeZone: layout.timeZone,
    currency: layout.currency,
    taxRateBp: 0,
    openingHours: layout.openingHours ?? WEEKDAY_HOURS,
    floors,
    devices,
  };
}
