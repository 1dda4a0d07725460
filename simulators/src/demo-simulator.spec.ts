import { generateDay, SimDay } from './demo-day.generator';
import { runDemoSimulator } from './demo-simulator';
import { EventSink } from './live-player';
import { SimEvent } from './sim-event';
import { loadSiteFile } from './site-file';

const site = loadSiteFile();
/** Wednesday 11:00 in Madrid: the morning crowd is in. */
const NOW = Date.parse('2026-03-04T10:00:00Z');

class RecordingSink implements EventSink {
  readonly events: SimEvent[] = [];
  closed = false;
  publish(event: SimEvent): Promise<void> {
    this.events.push(event);
    return Promise.resolve();
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

/** The last presence value each sensor reported: what a floor map would show. */
function presenceNow(events: SimEvent[]): Map<string, number> {
  const state = new Map<string, number>();
  for (const e of events)
    if (e.type === 'sensor' && e.payload.kind === 'presence') state.set(e.topic, e.payload.value);
  return state;
}

describe('runDemoSimulator', () => {
  beforeEach(() => jest.useFakeTimers({ now: NOW }));
  afterEach(() => jest.useRealTimers());

  it('starts with the office as it is now: the day so far goes out at once, in order', async () => {
    const sink = new RecordingSink();
    const days: SimDay[] = [];
    const sim = runDemoSimulator(sink, { siteId: 'demo', site, seed: 5, onDay: (d) => days.push(d) });
    await jest.advanceTimersByTimeAsync(0);
    const expected = generateDay({ site, siteId: 'demo', seed: 5, date: '2026-03-04' }).events.filter(
      (e) => e.at.getTime() <= NOW,
    );
    expect(sink.events.map((e) => e.payload.id)).toEqual(expected.map((e) => e.payload.id));
    expect(days.map((d) => d.date)).toEqual(['2026-03-04']);
    const occupied = [...presenceNow(sink.events)].filter(
      ([topic, value]) => topic.includes('/pir-desk-') && value === 1,
    );
    expect(occupied.length).toBeGreaterThan(15);
    await sim.stop();
  });

  it('then publishes in real time', async () => {
    const sink = new RecordingSink();
    const sim = runDemoSimulator(sink, { siteId: 'demo', site, seed: 5 });
    await jest.advanceTimersByTimeAsync(0);
    const caughtUp = sink.events.length;
    await jest.advanceTimersByTimeAsync(30 * 60_000);
    const later = sink.events.slice(caughtUp);
    expect(later.length).toBeGreaterThan(50);
    expect(later.every((e) => e.at.getTime() > NOW && e.at.getTime() <= NOW + 30 * 60_000)).toBe(true);
    await sim.stop();
  });

  it('rolls over to the next day with new event ids', async () => {
    const sink = new RecordingSink();
    const days: string[] = [];
    // one simulated hour per wall second
    const sim = runDemoSimulator(sink, {
      siteId: 'demo',
      site,
      seed: 5,
      speed: 3600,
      onDay: (d) => days.push(d.date),
    });
    await jest.advanceTimersByTimeAsync(36_000);
    expect(days).toEqual(['2026-03-04', '2026-03-05']);
    const ids = sink.events.map((e) => e.payload.id);
    expect(ids.some((id) => id.startsWith('sim-5-20260305-'))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    await sim.stop();
  });

  it('stops cleanly: the sink is closed, no timer is left, nothing more is published', async () => {
    const sink = new RecordingSink();
    const sim = runDemoSimulator(sink, { siteId: 'demo', site, seed: 5 });
    await jest.advanceTimersByTimeAsync(0);
    await Promise.all([sim.stop(), sim.stop()]);
    expect(sink.closed).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
    const count = sink.events.length;
    await jest.advanceTimersByTimeAsync(86_400_000);
    expect(sink.events.length).toBe(count);
  });

  it('takes the simulated clock from `now` when given', async () => {
    const sink = new RecordingSink();
    const earlier = new Date('2026-03-04T06:00:00Z');
    const sim = runDemoSimulator(sink, { siteId: 'demo', site, seed: 5, now: () => earlier });
    await jest.advanceTimersByTimeAsync(0);
    expect(sink.events.length).toBeGreaterThan(0);
    expect(sink.events.every((e) => e.at.getTime() <= earlier.getTime())).toBe(true);
    await sim.stop();
  });
});
