import { FakeSource } from '../testing/fake-source';
import { MqttOutbox } from '../transport/outbox';
import { NullPublisher, Publisher } from '../transport/publisher';
import { OutMessage } from '../transport/wire';
import { Dispatcher } from './dispatcher';
import { runLoad } from './load';
import { Progress } from './report';

const T0 = Date.parse('2026-11-21T10:00:00Z');

/** Acknowledges only once `open` is true: a broker that stalls. */
class StallingPublisher implements Publisher {
  open = false;
  private waiting: Array<() => void> = [];
  send(_message: OutMessage): Promise<null> {
    if (this.open) return Promise.resolve(null);
    return new Promise((resolve) => this.waiting.push(() => resolve(null)));
  }
  release(): void {
    this.open = true;
    this.waiting.forEach((wake) => wake());
    this.waiting = [];
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

describe('runLoad', () => {
  beforeEach(() => jest.useFakeTimers({ now: T0 }));
  afterEach(() => jest.useRealTimers());

  it('takes events at the target rate and never runs ahead of it', async () => {
    const source = new FakeSource();
    const dispatcher = new Dispatcher(new NullPublisher(), { maxInFlight: 16, now: () => Date.now() });
    const samples: Progress[] = [];
    const done = runLoad({
      source,
      outbox: new MqttOutbox(100),
      dispatcher,
      rate: 1000,
      durationMs: 5000,
      onProgress: (p) => samples.push(p),
    });
    await jest.advanceTimersByTimeAsync(2500);
    expect(source.taken).toBeGreaterThanOrEqual(2480);
    expect(source.taken).toBeLessThanOrEqual(2500);
    await jest.advanceTimersByTimeAsync(2600);
    const report = await done;
    expect(report.events).toBeGreaterThanOrEqual(4980);
    expect(report.events).toBeLessThanOrEqual(5000);
    expect(report.acked).toBe(report.events);
    expect(report.rate).toBeGreaterThanOrEqual(990);
    expect(report.rate).toBeLessThanOrEqual(1000);
    for (const p of samples) expect(p.events).toBeLessThanOrEqual(Math.floor(p.elapsedMs));
  });

  it('stops taking while the sink stalls, and does not burst more than a second of events after', async () => {
    const source = new FakeSource();
    const publisher = new StallingPublisher();
    const dispatcher = new Dispatcher(publisher, { maxInFlight: 2 });
    const samples: Progress[] = [];
    const done = runLoad({
      source,
      outbox: new MqttOutbox(10),
      dispatcher,
      rate: 1000,
      durationMs: 5000,
      flushMs: 10,
      maxQueuedEvents: 300,
      onProgress: (p) => samples.push(p),
    });
    await jest.advanceTimersByTimeAsync(2000);
    const stalledAt = source.taken;
    expect(stalledAt).toBeLessThan(500);
    publisher.release();
    await jest.advanceTimersByTimeAsync(3100);
    const report = await done;
    const steps = samples.slice(1).map((p, i) => p.events - samples[i].events);
    expect(Math.max(...steps)).toBeLessThanOrEqual(1000);
    expect(report.events).toBeLessThan(5000 - 500);
    expect(report.events).toBeGreaterThan(3500);
    expect(report.failed).toBe(0);
  });

  it('ends early when the scenario runs out', async () => {
    const source = new FakeSource(new FakeSource().take(300));
    const dispatcher = new Dispatcher(new NullPublisher(), { maxInFlight: 4, now: () => Date.now() });
    const done = runLoad({ source, outbox: new MqttOutbox(100), dispatcher, rate: 1000, durationMs: 60_000 });
    await jest.advanceTimersByTimeAsync(1000);
    const report = await done;
    expect(report.events).toBe(300);
    expect(report.elapsedMs).toBeLessThan(1000);
  });

  it('refuses a rate that is not positive', async () => {
    const dispatcher = new Dispatcher(new NullPublisher(), { maxInFlight: 1 });
    await expect(
      runLoad({ source: new FakeSource(), outbox: new MqttOutbox(), dispatcher, rate: 0, durationMs: 1 }),
    ).rejects.toThrow('rate');
  });
});
