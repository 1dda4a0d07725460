import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parse } from 'yaml';
import { EmbeddedDatabase } from '@cw/database';
import {
  connectMqttPublisher,
  Dispatcher,
  resolveScenario,
  MemoryTruth,
  MqttOutbox,
  runLive,
  ScenarioStream,
  setPlatformClock,
  SMALL_TEST_SCENARIO_FILE,
  TruthRecord,
} from '@cw/simulators';
import { BorrowedDatabase } from '../support/borrowed-database';
import { openSeededDatabase } from '../support/seeded-database';
import { ADMIN_TOKEN, startPlatform, TestPlatform } from '../support/test-app';

const DAYS = 3;
const SPEED = 3600;

type BookingTruth = Extract<TruthRecord, { type: 'booking' }>;

/**
 * Three working days of the small test scenario (sensor misses, false triggers, clock skew, duplicates, out-of-order and late
 * delivery) played live over MQTT at 3600x, with the platform's clock following the simulation. The no-show releases
 * the platform makes are then checked against what really happened.
 */
describe('no-show releases against the simulator ground truth', () => {
  let db: EmbeddedDatabase;
  let platform: TestPlatform;
  const truth = new MemoryTruth();

  beforeAll(async () => {
    db = await openSeededDatabase();
    platform = await startPlatform(new BorrowedDatabase(db), { CLOCK_CONTROL: 'on', INGEST_FLUSH_MS: '10' });
  });

  afterAll(async () => {
    await platform?.close();
    await db?.close();
  });

  it('releases every no-show and no attended booking (precision >= 0.99, recall >= 0.95)', async () => {
    // The small test site with members who book more, so a few days hold enough bookings to judge by.
    const input = parse(readFileSync(SMALL_TEST_SCENARIO_FILE, 'utf8')) as {
      sites: { behaviour: { bookings: Record<string, unknown> } }[];
    };
    Object.assign(input.sites[0].behaviour.bookings, { propensity: 1, noShow: 0.25 });
    const scenario = resolveScenario(input, {
      source: 'noshow-truth test',
      baseDir: dirname(SMALL_TEST_SCENARIO_FILE),
    });
    const site = scenario.sites[0];
    await platform.putSite(site.id, site.document);
    const stream = new ScenarioStream(scenario, { start: scenario.start ?? '2026-03-02', days: DAYS, truth });
    const first = stream.peek();
    if (!first) throw new Error('the scenario produced no events');
    const simStart = first.sendAt;
    const publisher = await connectMqttPublisher({
      url: platform.mqtt.url,
      username: 'simulator',
      password: await platform.createKey('integration', site.id),
    });
    const dispatcher = new Dispatcher(publisher, { maxInFlight: 64 });
    // The platform's clock and the simulator's start together: at 3600x a second of drift is an hour of event time.
    await setPlatformClock(platform.url, ADMIN_TOKEN, new Date(simStart), SPEED);
    const report = await runLive({
      source: stream,
      outbox: new MqttOutbox(50),
      dispatcher,
      speed: SPEED,
      simStart,
    });
    await publisher.close(false);
    expect(report.failed).toBe(0);

    // Let the last grace periods run out in simulated time before judging.
    await new Promise((resolve) => setTimeout(resolve, (30 * 60_000) / SPEED + 1000));
    const released = new Set(
      (
        await db.query<{ booking_id: string }>(
          "SELECT booking_id FROM booking_releases WHERE site_id = $1 AND reason = 'no_show'",
          [site.id],
        )
      ).rows.map((r) => r.booking_id),
    );
    const bookings = truth.records.filter(
      (r): r is BookingTruth => r.type === 'booking' && r.outcome !== 'cancelled',
    );
    const noShows = bookings.filter((b) => b.outcome === 'no_show');
    const attended = bookings.filter((b) => b.outcome !== 'no_show');
    const truePositives = noShows.filter((b) => released.has(b.booking)).length;
    const falseReleases = attended.filter((b) => released.has(b.booking));
    const precision = released.size === 0 ? 1 : truePositives / released.size;
    const recall = noShows.length === 0 ? 1 : truePositives / noShows.length;
    console.log(
      `no-show releases vs truth over ${DAYS} days at ${SPEED}x: ${bookings.length} bookings, ${noShows.length} no-shows, ` +
        `${released.size} released; precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}; ` +
        `wrongly released: ${falseReleases.map((b) => b.booking).join(', ') || 'none'}`,
    );
    expect(noShows.length).toBeGreaterThanOrEqual(4);
    expect(attended.length).toBeGreaterThanOrEqual(6);
    expect(precision).toBeGreaterThanOrEqual(0.99);
    expect(recall).toBeGreaterThanOrEqual(0.95);
  }, 300_000);
});
