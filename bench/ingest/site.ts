import { SiteDocumentInput } from '@cw/sites';
import { siteDocument } from '../../tests/support/factories';

export const sensorId = (i: number) => `pir-bench-${i}`;
export const deskId = (i: number) => `bench-desk-${i}`;

/** The small test site plus a floor of desks, each watched by one presence sensor, so each reading maps to a desk. */
export function benchSiteDocument(desks: number): SiteDocumentInput {
  const base = siteDocument();
  const perRow = 16;
  const rows = Math.ceil(desks / perRow);
  return {
    ...base,
    floors: [
      ...(base.floors ?? []),
      {
        id: 'f1',
        name: 'Desks',
        level: 1,
        plan: { width: perRow * 2, height: rows * 2 },
        resources: Array.from({ length: desks }, (_, i) => {
          const x = (i % perRow) * 2;
          const y = Math.floor(i / perRow) * 2;
          return {
            id: deskId(i),
            name: `Desk ${i}`,
            kind: 'desk' as const,
            polygon: [
              [x, y],
              [x + 1.5, y],
              [x + 1.5, y + 1.5],
              [x, y + 1.5],
            ] as [number, number][],
          };
        }),
      },
    ],
    devices: [
      ...(base.devices ?? []),
      ...Array.from({ length: desks }, (_, i) => ({
        id: sensorId(i),
        type: 'sensor' as const,
        name: `Desk ${i} presence`,
        resources: [deskId(i)],
      })),
    ],
  };
}
