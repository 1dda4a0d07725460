import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { siteDocumentSchema } from '@cw/sites';

const raw: unknown = JSON.parse(readFileSync(join(__dirname, 'demo-site.json'), 'utf8'));
const parsed = siteDocumentSchema.safeParse(raw);
const site = siteDocumentSchema.parse(raw);

type Box = { x0: number; y0: number; x1: number; y1: number };
const boxOf = (polygon: [number, number][]): Box => ({
  x0: Math.min(...polygon.map((p) => p[0])),
  y0: Math.min(...polygon.map((p) => p[1])),
  x1: Math.max(...polygon.map((p) => p[0])),
  y1: Math.max(...polygon.map((p) => p[1])),
});

describe('demo site document', () => {
  it('is valid against the site document schema', () => {
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it('describes Demo Coworking in Madrid with its opening hours', () => {
    expect(site).toMatchObject({
      name: 'Demo Coworking',
      timeZone: 'Europe/Madrid',
      currency: 'EUR',
      taxRateBp: 2100,
    });
    for (const day of ['mon', 'tue', 'wed', 'thu', 'fri']) {
      expect(site.openingHours).toContainEqual({ day, open: '07:00', close: '21:00' });
    }
    expect(site.openingHours).toContainEqual({ day: 'sat', open: '09:00', close: '14:00' });
    expect(site.openingHours.some((h) => h.day === 'sun')).toBe(false);
  });

  it('has two floors of about 40 x 25 m with realistic resource counts', () => {
    expect(site.floors.map((f) => f.id)).toEqual(['f0', 'f1']);
    for (const floor of site.floors) {
      expect(floor.plan).toMatchObject({ width: 40, height: 25 });
      expect(floor.plan.outline?.length).toBeGreaterThanOrEqual(4);
      const count = (kind: string): number => floor.resources.filter((r) => r.kind === kind).length;
      expect(count('meeting_room')).toBeGreaterThanOrEqual(3);
      expect(count('meeting_room')).toBeLessThanOrEqual(4);
      expect(count('phone_booth')).toBeGreaterThanOrEqual(2);
      expect(count('phone_booth')).toBeLessThanOrEqual(3);
      expect(count('desk')).toBeGreaterThanOrEqual(12);
      expect(count('desk')).toBeLessThanOrEqual(20);
      for (const room of floor.resources.filter((r) => r.kind === 'meeting_room')) {
        expect(room.capacity).toBeGreaterThanOrEqual(4);
        expect(room.capacity).toBeLessThanOrEqual(12);
        expect(room.basePriceMinor).toBeGreaterThanOrEqual(2500);
        expect(room.basePriceMinor).toBeLessThanOrEqual(6000);
      }
    }
  });

  it('lays resources out inside the plan without overlaps, so the floor map draws cleanly', () => {
    for (const floor of site.floors) {
      const boxes = floor.resources.map((r) => ({ id: r.id, ...boxOf(r.polygon) }));
      for (const b of boxes) {
        expect(b.x0).toBeGreaterThanOrEqual(0);
        expect(b.y0).toBeGreaterThanOrEqual(0);
        expect(b.x1).toBeLessThanOrEqual(floor.plan.width);
        expect(b.y1).toBeLessThanOrEqual(floor.plan.height);
      }
      const overlapping = boxes.flatMap((a, i) =>
        boxes
          .slice(i + 1)
          .filter((b) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1)
          .map((b) => `${a.id}/${b.id}`),
      );
      expect(overlapping).toEqual([]);
    }
  });

  it('has an entrance door and counter, a door per meeting room and a presence sensor per room, booth and desk', () => {
    const device = (id: string) => site.devices.find((d) => d.id === id);
    expect(device('door-main')).toMatchObject({ type: 'door', resources: [] });
    expect(device('counter-main')).toMatchObject({ type: 'sensor', resources: [] });
    const resources = site.floors.flatMap((f) => f.resources);
    for (const r of resources.filter((x) => x.kind === 'meeting_room')) {
      expect(device(`door-${r.id}`)).toMatchObject({ type: 'door', resources: [r.id] });
    }
    for (const r of resources.filter((x) => ['meeting_room', 'phone_booth', 'desk'].includes(x.kind))) {
      expect(device(`pir-${r.id}`)).toMatchObject({ type: 'sensor', resources: [r.id] });
    }
    const ids = [...resources.map((r) => r.id), ...site.devices.map((d) => d.id)];
    expect(ids.filter((id) => !/^[a-zA-Z0-9_-]+$/.test(id))).toEqual([]);
  });
});
