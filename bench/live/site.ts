import { SiteDocumentInput } from '@cw/sites';

/**
 * The live bench's site, built programmatically: one floor per group of desks, desks on a grid inside the plan.
 *   change - a presence sensor each; each gets exactly one presence=1 while measured, so every measured reading is a
 *            fresh free -> occupied transition (a desk stays occupied for the 10 min hold, longer than the bench)
 *   busy   - a presence sensor each; occupied during warm-up, then re-reported (presence=1): no state change
 *   idle   - a presence sensor each; only ever presence=0 on a free desk: no state change
 *   book   - no sensor: the desks the release phase books (no evidence, so every booking is released)
 *   env    - environment sensors (co2, temperature...) serving no resource: stored, never a state change
 */
export interface LiveSiteShape {
  change: number;
  busy: number;
  idle: number;
  book: number;
  env: number;
}

export const changeDesk = (i: number) => `chg-${i}`;
export const changeSensor = (i: number) => `pir-chg-${i}`;
export const busySensor = (i: number) => `pir-busy-${i}`;
export const idleSensor = (i: number) => `pir-idle-${i}`;
export const bookDesk = (i: number) => `bk-${i}`;
export const envSensor = (i: number) => `env-${i}`;

const PER_ROW = 40;

function floor(id: string, name: string, level: number, ids: string[]) {
  const rows = Math.max(1, Math.ceil(ids.length / PER_ROW));
  return {
    id,
    name,
    level,
    plan: { width: PER_ROW * 2, height: rows * 2 },
    resources: ids.map((rid, i) => {
      const x = (i % PER_ROW) * 2;
      const y = Math.floor(i / PER_ROW) * 2;
      return {
        id: rid,
        name: rid,
        kind: 'desk' as const,
        polygon: [
          [x + 0.25, y + 0.25],
          [x + 1.75, y + 0.25],
          [x + 1.75, y + 1.75],
          [x + 0.25, y + 1.75],
        ] as [number, number][],
      };
    }),
  };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

export function liveSiteDocument(shape: LiveSiteShape): SiteDocumentInput {
  const busyDesk = (i: number) => `busy-${i}`;
  const idleDesk = (i: number) => `idle-${i}`;
  const presence = (sensor: string, desk: string) => ({
    id: sensor,
    type: 'sensor' as const,
    name: `${desk} presence`,
    resources: [desk],
  });
  return {
    name: 'Live bench campus',
    timeZone: 'Europe/Madrid',
    currency: 'EUR',
    taxRateBp: 2100,
    openingHours: [],
    floors: [
      floor('f1', 'Hot desks', 1, range(shape.change).map(changeDesk)),
      floor('f2', 'Team desks', 2, [...range(shape.busy).map(busyDesk), ...range(shape.idle).map(idleDesk)]),
      floor('f3', 'Bookable desks', 3, range(shape.book).map(bookDesk)),
    ],
    devices: [
      ...range(shape.change).map((i) => presence(changeSensor(i), changeDesk(i))),
      ...range(shape.busy).map((i) => presence(busySensor(i), busyDesk(i))),
      ...range(shape.idle).map((i) => presence(idleSensor(i), idleDesk(i))),
      ...range(shape.env).map((i) => ({
        id: envSensor(i),
        type: 'sensor' as const,
        name: `Environment ${i}`,
        resources: [],
      })),
    ],
  };
}
