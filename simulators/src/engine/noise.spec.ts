import { recordsOf, runScenario, scenarioWith } from '../testing/scenario-fixtures';
import { ScenarioEvent } from './scenario-event';

const OUTAGE = { device: 'pir-desk-0-001', from: '2026-03-03T08:00:00Z', to: '2026-03-04T12:00:00Z' };
const noisy = scenarioWith(
  {},
  {
    sites: [
      {
        id: 'noisy',
        layout: { desksPerFloor: 30, meetingRoomsPerFloor: 3, boothsPerFloor: 2 },
        population: { plans: { flex: { count: 30 }, fixed_desk: { count: 8 } } },
        devices: {
          presence: { miss: 0.08, falseTriggersPerHour: 0.1 },
          counter: { miss: 0.03, extra: 0.02 },
          clockSkew: { sdSeconds: 30, maxSeconds: 60 },
          duplicate: 0.04,
          drop: 0.03,
          outOfOrder: { rate: 0.05, maxSeconds: 20 },
          late: { rate: 0.02, minMinutes: 5, maxMinutes: 30 },
          offline: { perDeviceDay: 0.05, minMinutes: 30, maxMinutes: 120 },
          outages: [OUTAGE],
          overrides: { 'pir-desk-0-002': { skewSeconds: -42 } },
        },
      },
    ],
  },
);
/** Four weeks: tens of thousands of events, enough for rates within a few per cent. */
const run = runScenario(noisy, '2026-03-02', 28);
const noise = recordsOf(run.truth, 'noise');
const ofKind = (kind: string) => noise.filter((n) => n.noise === kind);
const device = run.events.filter(
  (e): e is Exclude<ScenarioEvent, { type: 'booking' }> => e.type !== 'booking',
);
/** First copies only: duplicates are measured separately. */
const seen = new Set<string>();
const unique = device.filter((e) => !seen.has(e.payload.id) && seen.add(e.payload.id));
const falseIds = new Set(ofKind('false_trigger').flatMap((n) => [n.id, n.endId ?? '']));

/** Measured within 15 % of the configured rate. */
const expectRate = (measured: number, configured: number): void => {
  expect(measured).toBeGreaterThan(configured * 0.85);
  expect(measured).toBeLessThan(configured * 1.15);
};

describe('device noise', () => {
  it('misses presence readings at the configured rate, and a missed reading is never sent', () => {
    const real = unique.filter(
      (e) => e.type === 'sensor' && e.payload.kind === 'presence' && !falseIds.has(e.payload.id),
    ).length;
    const droppedReal = ofKind('drop').filter((n) => n.kind === 'presence' && !falseIds.has(n.id)).length;
    const misses = ofKind('miss');
    expect(misses.length).toBeGreaterThan(1000);
    expectRate(misses.length / (misses.length + real + droppedReal), 0.08);
    const sent = new Set(device.map((e) => e.payload.id));
    expect(misses.filter((m) => sent.has(m.id))).toEqual([]);
  });

  it('drops events in transit at the configured rate', () => {
    const drops = ofKind('drop');
    expectRate(drops.length / (drops.length + unique.length), 0.03);
    const sent = new Set(device.map((e) => e.payload.id));
    expect(drops.filter((d) => sent.has(d.id))).toEqual([]);
  });

  it('duplicates events at the configured rate, with the same id and payload, sent later', () => {
    const duplicates = ofKind('duplicate');
    expectRate(duplicates.length / unique.length, 0.04);
    const copies = new Map<string, ScenarioEvent[]>();
    for (const e of device) copies.set(e.payload.id, [...(copies.get(e.payload.id) ?? []), e]);
    const twice = [...copies].filter(([, list]) => list.length === 2);
    expect(twice.map(([id]) => id).sort()).toEqual(duplicates.map((d) => d.id).sort());
    for (const [, [first, second]] of twice) {
      expect(second.payload).toEqual(first.payload);
      expect(second.sendAt).toBeGreaterThan(first.sendAt);
    }
  });

  it('delays events late or out of order at the configured rates, and nothing else', () => {
    const delays = new Map(ofKind('delay').map((d) => [d.id, d]));
    const late = ofKind('delay').filter((d) => d.reason === 'late');
    const reordered = ofKind('delay').filter((d) => d.reason === 'out_of_order');
    expectRate(late.length / unique.length, 0.02);
    expectRate(reordered.length / unique.length, 0.05);
    for (const e of unique) expect(e.sendAt - e.at).toBe(delays.get(e.payload.id)?.delayMs ?? 0);
    for (const d of late) expect(d.delayMs).toBeGreaterThanOrEqual(5 * 60_000);
    for (const d of reordered) expect(d.delayMs).toBeLessThanOrEqual(20_000);
    // delivery order differs from event order for some events of a device
    const overtaken = unique.filter(
      (e, i) => i > 0 && e.at < unique[i - 1].at && e.device === unique[i - 1].device,
    );
    expect(overtaken.length).toBeGreaterThan(0);
  });

  it('reports false triggers at the configured rate per empty sensor-hour, only when nobody is there', () => {
    const triggers = ofKind('false_trigger');
    const exposure = recordsOf(run.truth, 'exposure').reduce((sum, r) => sum + r.emptySensorHours, 0);
    expect(triggers.length).toBeGreaterThan(200);
    expectRate(triggers.length / exposure, 0.1);
    const presence = recordsOf(run.truth, 'presence');
    const watched = (sensor: string): string => sensor.replace(/^pir-/, '');
    const byId = new Map(unique.map((e) => [e.payload.id, e]));
    for (const t of triggers) {
      const at = Date.parse(t.at);
      const busy = presence.some(
        (p) => p.resource === watched(t.device) && Date.parse(p.from) <= at && at <= Date.parse(p.to),
      );
      expect(busy).toBe(false);
      const event = byId.get(t.id);
      if (event?.type === 'sensor') expect(event.payload).toMatchObject({ kind: 'presence', value: 1 });
    }
  });

  it('makes people counters drift: some minutes miscounted, in and out no longer balance', () => {
    const counted = ofKind('counter');
    expect(counted.length).toBeGreaterThan(10);
    const byId = new Map(unique.map((e) => [e.payload.id, e]));
    for (const c of counted) {
      expect(c.value).not.toBe(c.trueValue);
      const event = byId.get(c.id);
      if (event?.type === 'sensor') expect(event.payload.value).toBe(c.value);
    }
    const net = unique.reduce((sum, e) => {
      if (e.type !== 'sensor') return sum;
      return (
        sum +
        (e.payload.kind === 'people_in'
          ? e.payload.value
          : e.payload.kind === 'people_out'
            ? -e.payload.value
            : 0)
      );
    }, 0);
    expect(net).not.toBe(0);
  });

  it('skews each device clock by its own fixed offset', () => {
    const skews = new Map(recordsOf(run.truth, 'device').map((d) => [d.device, d.skewMs]));
    expect(skews.get('pir-desk-0-002')).toBe(-42_000);
    expect(new Set(skews.values()).size).toBeGreaterThan(20);
    expect([...skews.values()].every((s) => Math.abs(s) <= 60_000)).toBe(true);
    const wrong = device.filter((e) => Date.parse(e.payload.ts) - e.at !== skews.get(e.device));
    expect(wrong).toEqual([]);
    const bookings = run.events.filter((e) => e.type === 'booking');
    expect(bookings.every((e) => Date.parse(e.payload.ts) === e.at)).toBe(true);
  });

  it('sends nothing from a device inside its offline windows, random or configured', () => {
    const windows = recordsOf(run.truth, 'offline');
    expect(windows.length).toBeGreaterThan(50);
    expect(windows.reduce((n, w) => n + w.suppressed, 0)).toBeGreaterThan(0);
    const inside = device.filter((e) =>
      windows.some((w) => w.device === e.device && e.at >= Date.parse(w.from) && e.at < Date.parse(w.to)),
    );
    expect(inside).toEqual([]);
    // the known outage, cut at local midnight (23:00Z in Madrid in March)
    const known = windows.filter(
      (w) =>
        w.device === OUTAGE.device &&
        Date.parse(w.from) >= Date.parse(OUTAGE.from) &&
        Date.parse(w.to) <= Date.parse(OUTAGE.to),
    );
    expect(known).toEqual([
      expect.objectContaining({ from: '2026-03-03T08:00:00.000Z', to: '2026-03-03T23:00:00.000Z' }),
      expect.objectContaining({ from: '2026-03-03T23:00:00.000Z', to: '2026-03-04T12:00:00.000Z' }),
    ]);
  });
});
