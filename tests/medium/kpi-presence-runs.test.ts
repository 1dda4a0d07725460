import { EmbeddedDatabase } from '@cw/database';
import { EVIDENCE_RULES, Materialiser } from '@cw/kpi';
import { SiteDocumentInput } from '@cw/sites';
import { BorrowedDatabase } from '../support/borrowed-database';
import { openSeededDatabase } from '../support/seeded-database';
import { startPlatform, TestPlatform } from '../support/test-app';

/**
 * The materialiser collapses each sensor's readings into runs before merging them; the occupied seconds it writes must
 * be those of the evidence rules applied reading by reading. Random readings (a seeded generator) with minute steps,
 * steps of a few seconds (short zeros bridged or not), gaps longer than HOLD, flips and lone readings, on two days and
 * four resources (one with two sensors), against the rules computed here in plain code. Readings of one sensor never
 * share a timestamp: the order of ties is not defined by the rules.
 */
const SITE = 'runs';
const FROM = Date.parse('2026-03-02T00:00:00+01:00');
const DAYS = 2;
const TO = FROM + DAYS * 86_400_000;
const HOLD = EVIDENCE_RULES.holdSeconds * 1000;
const DEBOUNCE = EVIDENCE_RULES.debounceSeconds * 1000;
const BUCKET = 15 * 60_000;

const sensors = [
  { id: 'pir-desk-1', resource: 'desk-1' },
  { id: 'pir-desk-2', resource: 'desk-2' },
  { id: 'pir-room-1', resource: 'room-1' },
  { id: 'pir-room-1b', resource: 'room-1' },
  { id: 'pir-booth-1', resource: 'booth-1' },
];
const square = (x: number): [number, number][] => [
  [x, 0],
  [x + 2, 0],
  [x + 2, 2],
  [x, 2],
];
const site: SiteDocumentInput = {
  name: 'Presence runs',
  timeZone: 'Europe/Madrid',
  currency: 'EUR',
  // open all day, every day: nothing is clipped away, so every span counts
  openingHours: (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((day) => ({
    day,
    open: '00:00',
    close: '24:00',
  })),
  floors: [
    {
      id: 'f0',
      name: 'Ground',
      plan: { width: 20, height: 10 },
      resources: [
        { id: 'desk-1', name: 'Desk 1', kind: 'desk', polygon: square(0) },
        { id: 'desk-2', name: 'Desk 2', kind: 'desk', polygon: square(3) },
        { id: 'room-1', name: 'Room 1', kind: 'meeting_room', capacity: 6, polygon: square(6) },
        { id: 'booth-1', name: 'Booth 1', kind: 'phone_booth', polygon: square(9) },
      ],
    },
  ],
  devices: sensors.map((s) => ({ id: s.id, type: 'sensor' as const, name: s.id, resources: [s.resource] })),
};

interface Reading {
  ts: number;
  value: number;
}

/** A small linear congruential generator: the same readings on every run. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** Readings of one sensor from a little before the window to its end, whole seconds, strictly increasing. */
function randomReadings(next: () => number): Reading[] {
  const out: Reading[] = [];
  let ts = FROM - 30 * 60_000 + Math.floor(next() * 600) * 1000;
  let value = 0;
  while (ts < TO) {
    out.push({ ts, value });
    const r = next();
    const step =
      r < 0.15
        ? 1 + Math.floor(next() * 59) // within DEBOUNCE
        : r < 0.9
          ? 60
          : r < 0.97
            ? 61 + Math.floor(next() * 1200) // around HOLD
            : 600 + Math.floor(next() * 7200); // a long silence
    ts += step * 1000;
    const flip = next();
    value = flip < 0.1 ? 1 - value : flip < 0.13 ? 1 : value;
  }
  return out;
}

/** Occupied spans of one sensor by the evidence rules, reading by reading (the window's readings only). */
function spans(readings: Reading[]): [number, number][] {
  const inWindow = readings.filter((r) => r.ts >= FROM - HOLD && r.ts < TO);
  const out: [number, number][] = [];
  inWindow.forEach((r, i) => {
    const prev = inWindow[i - 1];
    const next = inWindow[i + 1];
    if (r.value >= 1) out.push([r.ts, Math.min(next?.ts ?? r.ts + HOLD, r.ts + HOLD)]);
    else if (prev?.value >= 1 && next?.value >= 1 && next.ts < r.ts + DEBOUNCE) out.push([r.ts, next.ts]);
  });
  return out.filter(([s, e]) => e > s);
}

/** Seconds of the union of the spans inside each 15-minute bucket of the window. */
function secondsByBucket(all: [number, number][]): Map<number, number> {
  const merged: [number, number][] = [];
  for (const [s, e] of [...all].sort((a, b) => a[0] - b[0])) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  const out = new Map<number, number>();
  for (const [s0, e0] of merged) {
    const s = Math.max(s0, FROM);
    const e = Math.min(e0, TO);
    for (let b = Math.floor(s / BUCKET) * BUCKET; b < e; b += BUCKET) {
      const secs = (Math.min(e, b + BUCKET) - Math.max(s, b)) / 1000;
      if (secs > 0) out.set(b, (out.get(b) ?? 0) + secs);
    }
  }
  return out;
}

describe('KPI slices from presence runs (embedded TimescaleDB)', () => {
  let db: EmbeddedDatabase;
  let platform: TestPlatform;

  beforeAll(async () => {
    db = await openSeededDatabase();
    platform = await startPlatform(new BorrowedDatabase(db));
    await platform.putSite(SITE, site);
  });

  afterAll(async () => {
    await platform?.close();
    await db?.close();
  });

  it.each([1, 2, 3])(
    'writes the occupied seconds of the evidence rules, reading by reading (seed %i)',
    async (seed) => {
      const next = generator(seed);
      const bySensor = new Map(sensors.map((s) => [s.id, randomReadings(next)]));
      await db.query(`DELETE FROM sensor_readings WHERE site_id = $1`, [SITE]);
      for (const { id, resource } of sensors) {
        const readings = bySensor.get(id)!;
        await db.query(
          `INSERT INTO sensor_readings (ts, site_id, sensor_id, event_id, kind, value, resource_id, device_ts, received_at)
         SELECT t, $1, $2, $2 || '@' || n, 'presence', v, $3, t, t
         FROM unnest($4::timestamptz[], $5::float8[]) WITH ORDINALITY AS x(t, v, n)`,
          [
            SITE,
            id,
            resource,
            readings.map((r) => new Date(r.ts).toISOString()),
            readings.map((r) => r.value),
          ],
        );
      }
      await platform.app.get(Materialiser).materialise(SITE, ['2026-03-02', '2026-03-03']);

      const { rows } = await db.query<{ resource_id: string; ts: Date; occupied_s: number }>(
        `SELECT resource_id, ts, occupied_s FROM kpi_resource_slices WHERE site_id = $1 AND occupied_s > 0`,
        [SITE],
      );
      const got = new Map(rows.map((r) => [`${r.resource_id} ${new Date(r.ts).getTime()}`, r.occupied_s]));
      const expected = new Map<string, number>();
      for (const resource of new Set(sensors.map((s) => s.resource))) {
        const all = sensors.filter((s) => s.resource === resource).flatMap((s) => spans(bySensor.get(s.id)!));
        for (const [bucket, secs] of secondsByBucket(all))
          expected.set(`${resource} ${bucket}`, Math.round(secs));
      }
      // enough happened for the comparison to mean something: hundreds of occupied buckets on every resource
      expect(expected.size).toBeGreaterThan(400);
      expect(got).toEqual(expected);
    },
  );
});
