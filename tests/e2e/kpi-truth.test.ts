import request from 'supertest';
import { ExternalBookingsListener } from '@cw/booking';
import { EmbeddedDatabase } from '@cw/database';
import { NoShowEngine } from '@cw/noshow';
import { clip, DirtyDaysTracker, Interval, KpiMaintenance, openIntervals, SiteKpis } from '@cw/kpi';
import {
  Dispatcher,
  HttpOutbox,
  HttpPublisher,
  loadScenario,
  MemoryTruth,
  runBackfill,
  ScenarioStream,
  SMALL_TEST_SCENARIO_FILE,
  TruthRecord,
} from '@cw/simulators';
import { BorrowedDatabase } from '../support/borrowed-database';
import { openSeededDatabase } from '../support/seeded-database';
import { ADMIN_TOKEN, startPlatform, TestPlatform } from '../support/test-app';

type Presence = Extract<TruthRecord, { type: 'presence' }>;
type Booking = Extract<TruthRecord, { type: 'booking' }>;

/** Sorted, disjoint union of intervals. */
function union(intervals: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const i of [...intervals].sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

/** Intersection of two sorted, disjoint interval lists. */
function intersect(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const start = Math.max(a[i].start, b[j].start);
    const end = Math.min(a[i].end, b[j].end);
    if (end > start) out.push({ start, end });
    if (a[i].end < b[j].end) i++;
    else j++;
  }
  return out;
}

/** Most intervals covering one instant (half-open: one ending where another starts does not overlap it). */
function mostAtOnce(intervals: Interval[]): number {
  const moves = intervals.flatMap((i) => [
    { t: i.start, d: 1 },
    { t: i.end, d: -1 },
  ]);
  moves.sort((a, b) => a.t - b.t || a.d - b.d);
  let level = 0;
  let most = 0;
  for (const m of moves) most = Math.max(most, (level += m.d));
  return most;
}

const minutes = (intervals: Interval[]) => intervals.reduce((s, i) => s + (i.end - i.start), 0) / 60_000;
const span = (from: string, to: string): Interval => ({ start: Date.parse(from), end: Date.parse(to) });

/**
 * A month of the small test scenario (sensor misses, false triggers, clock skew, duplicates, late and out-of-order
 * delivery) back-filled through POST /v1/events; the KPIs the API gives for that month are compared with the same
 * formulas applied to the simulator's ground truth (who was really in which resource, which bookings really existed).
 */
describe('KPIs of a simulated month against the simulator ground truth', () => {
  let db: EmbeddedDatabase;
  let platform: TestPlatform;
  const truth = new MemoryTruth();

  beforeAll(async () => {
    db = await openSeededDatabase();
    platform = await startPlatform(new BorrowedDatabase(db), { INGEST_FLUSH_MS: '10' });
  });

  afterAll(async () => {
    await platform?.close();
    await db?.close();
  });

  it('gives utilisation, booking rate and booked-vs-used within 1 point of the truth, peaks exactly', async () => {
    const scenario = loadScenario(SMALL_TEST_SCENARIO_FILE);
    const site = scenario.sites[0];
    await platform.putSite(site.id, site.document);
    // A few days of February first, so the bookings of early March have been made before the month starts.
    const stream = new ScenarioStream(scenario, { start: '2026-02-23', days: 36, truth });
    const publisher = new HttpPublisher({ url: platform.url, key: ADMIN_TOKEN });
    const report = await runBackfill({
      source: stream,
      outbox: new HttpOutbox(2000),
      dispatcher: new Dispatcher(publisher, { maxInFlight: 2 }),
    });
    expect(report.failed).toBe(0);

    // Booking events become the platform's bookings, and no-shows are decided, behind ingest: wait for both.
    await platform.app.get(ExternalBookingsListener).settled();
    await platform.app.get(NoShowEngine).settled();
    await platform.app.get(DirtyDaysTracker).flush();
    const run = await platform.app.get(KpiMaintenance).runOnce();
    expect(run.days).toBeGreaterThanOrEqual(31);

    const res = await request(platform.url)
      .get(`/v1/sites/${site.id}/kpis?period=month&date=2026-03-15`)
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(res.status).toBe(200);
    const kpis = res.body as SiteKpis;

    // The same formulas over the truth, inside March's opening hours.
    const tz = site.document.timeZone;
    const monthStart = Date.parse('2026-02-28T23:00:00Z');
    const monthEnd = Date.parse('2026-03-31T22:00:00Z');
    const open = clip(
      openIntervals(site.document.openingHours, tz, '2026-03-01', '2026-03-31'),
      monthStart,
      monthEnd,
    );
    const openMinutes = minutes(open);
    const presence = truth.records.filter((r): r is Presence => r.type === 'presence' && r.site === site.id);
    const bookings = truth.records.filter(
      (r): r is Booking => r.type === 'booking' && r.site === site.id && r.outcome !== 'cancelled',
    );
    const resources = site.document.floors.flatMap((f) => f.resources.map((r) => r.id));
    const resourceDoc = new Map(site.document.floors.flatMap((f) => f.resources.map((r) => [r.id, r])));
    /** Occupied intervals of the resources that count people (one seat: 1 while occupied), per kind. */
    const countedByKind = new Map<string, Interval[]>();
    let siteOccupied = 0;
    let siteBooked = 0;
    let siteUsed = 0;
    const compared: string[] = [];
    for (const id of resources) {
      const occupied = intersect(
        union(presence.filter((p) => p.resource === id).map((p) => span(p.from, p.to))),
        open,
      );
      const booked = intersect(
        union(bookings.filter((b) => b.resource === id).map((b) => span(b.start, b.end))),
        open,
      );
      const used = intersect(occupied, booked);
      siteOccupied += minutes(occupied);
      siteBooked += minutes(booked);
      siteUsed += minutes(used);
      const got = kpis.resources.find((r) => r.resourceId === id)!;
      expect(got.sensed).toBe(true);
      const doc = resourceDoc.get(id)!;
      if ((doc.capacity ?? 1) <= 1) {
        expect(got.peakOccupancy.value).toBe(occupied.length > 0 ? 1 : 0);
        countedByKind.set(doc.kind, [...(countedByKind.get(doc.kind) ?? []), ...occupied]);
      } else {
        // several seats seen by presence sensors and doors only: how many people is unknown
        expect(got.peakOccupancy).toEqual({ value: null, reason: 'presence_cannot_count' });
      }
      expect(got.totals.openMinutes).toBe(openMinutes);
      expect(Math.abs(got.utilisation.value! - minutes(occupied) / openMinutes)).toBeLessThanOrEqual(0.01);
      expect(Math.abs(got.bookingRate.value! - minutes(booked) / openMinutes)).toBeLessThanOrEqual(0.01);
      if (minutes(booked) > 0) {
        expect(Math.abs(got.bookedVsUsed.value! - minutes(used) / minutes(booked))).toBeLessThanOrEqual(0.01);
        compared.push(id);
      }
    }
    // Peak per kind: the most counted resources occupied at once in the truth; null where none can count.
    for (const k of kpis.kinds) {
      const counted = countedByKind.get(k.kind);
      if (counted)
        expect({ kind: k.kind, peak: k.peakOccupancy.value }).toEqual({
          kind: k.kind,
          peak: mostAtOnce(counted),
        });
      else expect(k.peakOccupancy).toEqual({ value: null, reason: 'presence_cannot_count' });
    }
    expect(mostAtOnce(countedByKind.get('desk') ?? [])).toBeGreaterThanOrEqual(2);
    // The month must hold enough to judge by: real occupancy and several booked rooms.
    expect(siteOccupied).toBeGreaterThan(1000);
    expect(compared.length).toBeGreaterThanOrEqual(2);
    const n = resources.length;
    expect(Math.abs(kpis.site.utilisation.value! - siteOccupied / (openMinutes * n))).toBeLessThanOrEqual(
      0.01,
    );
    expect(Math.abs(kpis.site.bookingRate.value! - siteBooked / (openMinutes * n))).toBeLessThanOrEqual(0.01);
    expect(Math.abs(kpis.site.bookedVsUsed.value! - siteUsed / siteBooked)).toBeLessThanOrEqual(0.01);

    // Bookings that started in March, and how many nobody came to.
    const started = bookings.filter(
      (b) => Date.parse(b.start) >= monthStart && Date.parse(b.start) < monthEnd,
    );
    const noShows = started.filter((b) => b.outcome === 'no_show').length;
    expect(kpis.site.totals.bookingsStarted).toBe(started.length);
    expect(Math.abs(kpis.site.noShowRate.value! - noShows / started.length)).toBeLessThanOrEqual(0.01);
  });
});
