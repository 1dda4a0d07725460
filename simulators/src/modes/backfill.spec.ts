import { ScenarioStream } from '../engine/scenario-stream';
import { httpItem } from '../transport/wire';
import { scenarioWith } from '../testing/scenario-fixtures';
import { Timers } from '../live-player';
import { HttpPost, HttpPublisher } from '../transport/http-transport';
import { HttpOutbox, MqttOutbox } from '../transport/outbox';
import { MqttPublisher, PublishingClient } from '../transport/mqtt-transport';
import { runBackfill } from './backfill';
import { Dispatcher } from './dispatcher';

const scenario = scenarioWith();
const stream = () => new ScenarioStream(scenario, { start: '2026-03-02', days: 28 });
const expected = stream().all();

const noWait: Timers = {
  now: () => 0,
  setTimeout: (callback) => {
    setImmediate(callback);
    return 0;
  },
  clearTimeout: () => undefined,
};

/**
 * A fake platform: answers like POST /v1/events (duplicates by id), one request at a time per tick, and fails
 * the first attempt of the second batch with a 503.
 */
function fakePlatform() {
  const seen = new Set<string>();
  const batches: string[][] = [];
  let requests = 0;
  let open = 0;
  let mostOpen = 0;
  const post: HttpPost = async (_url, init) => {
    requests++;
    open++;
    mostOpen = Math.max(mostOpen, open);
    await new Promise((resolve) => setImmediate(resolve));
    open--;
    if (requests === 2) return { status: 503, text: () => Promise.resolve('{"message":"busy"}') };
    const items = JSON.parse(init.body) as Array<{ id: string }>;
    batches.push(items.map((i) => JSON.stringify(i)));
    let duplicates = 0;
    for (const item of items) {
      if (seen.has(item.id)) duplicates++;
      seen.add(item.id);
    }
    const body = JSON.stringify({ accepted: items.length - duplicates, duplicates, rejected: [] });
    return { status: 202, text: () => Promise.resolve(body) };
  };
  return { post, batches, stats: () => ({ requests, mostOpen }) };
}

describe('runBackfill over HTTP', () => {
  it('sends every event exactly once in batches of at most 5000, retrying a 503', async () => {
    const platform = fakePlatform();
    const publisher = new HttpPublisher({
      url: 'http://platform',
      key: 'k',
      post: platform.post,
      timers: noWait,
    });
    const dispatcher = new Dispatcher(publisher, { maxInFlight: 2 });
    const progress: number[] = [];
    const report = await runBackfill({
      source: stream(),
      outbox: new HttpOutbox(),
      dispatcher,
      onProgress: (p) => progress.push(p.events),
    });
    expect(expected.length).toBeGreaterThan(10_000);
    expect(platform.batches.every((b) => b.length <= 5000)).toBe(true);
    expect(platform.batches.filter((b) => b.length === 5000).length).toBeGreaterThanOrEqual(2);
    const sent = platform.batches.flat().map((s) => JSON.parse(s) as unknown);
    expect(sent).toEqual(expected.map((e) => JSON.parse(httpItem(e)) as unknown));
    expect(platform.stats().mostOpen).toBeLessThanOrEqual(2);
    expect(platform.stats().requests).toBe(platform.batches.length + 1);
    // noise duplicates carry the same id: the platform counts them as duplicates, not as new events
    const duplicates = expected.length - new Set(expected.map((e) => e.payload.id)).size;
    expect(report).toMatchObject({
      mode: 'backfill',
      events: expected.length,
      acked: expected.length,
      failed: 0,
      retries: 1,
      accepted: expected.length - duplicates,
      duplicates,
      rejected: 0,
      interrupted: false,
    });
    expect(progress[progress.length - 1]).toBe(expected.length);
  });

  it('counts a refused batch as failed and carries on', async () => {
    let calls = 0;
    const post: HttpPost = (_url, init) => {
      calls++;
      const n = (JSON.parse(init.body) as unknown[]).length;
      const status = calls === 1 ? 400 : 202;
      const body =
        status === 400
          ? '{"message":"bad"}'
          : JSON.stringify({ accepted: n, duplicates: 0, rejected: [{ index: 0, errors: ['x'] }] });
      return Promise.resolve({ status, text: () => Promise.resolve(body) });
    };
    const dispatcher = new Dispatcher(
      new HttpPublisher({ url: 'http://p', key: 'k', post, timers: noWait }),
      { maxInFlight: 1 },
    );
    const report = await runBackfill({ source: stream(), outbox: new HttpOutbox(), dispatcher });
    expect(report.failed).toBe(5000);
    expect(report.acked).toBe(expected.length - 5000);
    expect(report.rejected).toBe(calls - 1);
    expect(report.errors[0]).toMatch(/^HTTP 400/);
  });

  it('stops when interrupted', async () => {
    const abort = new AbortController();
    abort.abort();
    const dispatcher = new Dispatcher(
      new HttpPublisher({ url: 'http://p', key: 'k', post: () => Promise.reject(new Error('unused')) }),
      {
        maxInFlight: 1,
      },
    );
    const report = await runBackfill({
      source: stream(),
      outbox: new HttpOutbox(),
      dispatcher,
      signal: abort.signal,
    });
    expect(report).toMatchObject({ events: 0, interrupted: true });
  });
});

describe('runBackfill over MQTT', () => {
  it('publishes every event once, as arrays on its device topic', async () => {
    const published: Array<{ topic: string; body: string }> = [];
    const client: PublishingClient = {
      publishAsync: (topic, body) => Promise.resolve(published.push({ topic, body })),
      endAsync: () => Promise.resolve(),
    };
    const dispatcher = new Dispatcher(new MqttPublisher([client, client]), { maxInFlight: 8 });
    const report = await runBackfill({ source: stream(), outbox: new MqttOutbox(50), dispatcher });
    const payloads = published.flatMap(({ topic, body }) => {
      const parsed = JSON.parse(body) as unknown;
      return (Array.isArray(parsed) ? parsed : [parsed]).map((p) => `${topic} ${JSON.stringify(p)}`);
    });
    expect(payloads.sort()).toEqual(expected.map((e) => `${e.topic} ${JSON.stringify(e.payload)}`).sort());
    expect(report.acked).toBe(expected.length);
  });

  it('cuts partial arrays as simulated time passes, so a quiet device does not trail the others', async () => {
    const sendAts: number[] = [];
    const client: PublishingClient = {
      publishAsync: (_topic, body) => {
        const parsed = JSON.parse(body) as { id: string } | Array<{ id: string }>;
        const first = Array.isArray(parsed) ? parsed[0] : parsed;
        sendAts.push(expected.find((e) => e.payload.id === first.id)?.sendAt ?? NaN);
        return Promise.resolve();
      },
      endAsync: () => Promise.resolve(),
    };
    const dispatcher = new Dispatcher(new MqttPublisher([client]), { maxInFlight: 1 });
    const source = new ScenarioStream(scenario, { start: '2026-03-02', days: 2 });
    await runBackfill({ source, outbox: new MqttOutbox(50), dispatcher, flushEverySimMs: 60_000 });
    // messages go out in the order their first event was due, give or take the minute
    const behind = sendAts.filter((t, i) => i > 0 && t < Math.max(...sendAts.slice(0, i)) - 61_000);
    expect(behind).toEqual([]);
  });
});
