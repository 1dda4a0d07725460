import { FakeSource, sensorEvent } from '../testing/fake-source';
import { HttpOutbox } from '../transport/outbox';
import { Publisher } from '../transport/publisher';
import { OutMessage } from '../transport/wire';
import { Dispatcher } from './dispatcher';
import { runLive } from './live';

const WALL = Date.parse('2026-11-21T10:00:00Z');
const SIM = Date.parse('2026-03-04T08:00:00Z');

class RecordingPublisher implements Publisher {
  readonly sent: Array<{ wall: number; ids: string[] }> = [];
  send(message: OutMessage): Promise<null> {
    const ids = (JSON.parse(message.body) as Array<{ id: string }>).map((i) => i.id);
    this.sent.push({ wall: Date.now() - WALL, ids });
    return Promise.resolve(null);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

describe('runLive', () => {
  beforeEach(() => jest.useFakeTimers({ now: WALL }));
  afterEach(() => jest.useRealTimers());

  it('plays each event at its simulated delivery time scaled by the speed, the past at once', async () => {
    // sensorEvent(n) happens n seconds after SIM; the third is delivered 30 s late
    const events = [
      sensorEvent(-3600),
      sensorEvent(0),
      sensorEvent(60),
      sensorEvent(90, 10, SIM + 120_000),
      sensorEvent(180),
    ];
    const publisher = new RecordingPublisher();
    const dispatcher = new Dispatcher(publisher, { maxInFlight: 4 });
    const done = runLive({
      source: new FakeSource(events),
      outbox: new HttpOutbox(),
      dispatcher,
      speed: 60,
      simStart: SIM,
    });
    await jest.advanceTimersByTimeAsync(3500);
    const report = await done;
    expect(publisher.sent).toEqual([
      { wall: 0, ids: ['e-3600', 'e0'] },
      { wall: 1000, ids: ['e60'] },
      { wall: 2000, ids: ['e90'] },
      { wall: 3000, ids: ['e180'] },
    ]);
    expect(report).toMatchObject({ mode: 'live', events: 5, acked: 5 });
  });

  it('stops after its duration, or when interrupted', async () => {
    const publisher = new RecordingPublisher();
    const source = new FakeSource(Array.from({ length: 100 }, (_, i) => sensorEvent(i * 60)));
    const done = runLive({
      source,
      outbox: new HttpOutbox(),
      dispatcher: new Dispatcher(publisher, { maxInFlight: 1 }),
      speed: 60,
      simStart: SIM,
      durationMs: 2500,
    });
    await jest.advanceTimersByTimeAsync(3000);
    expect((await done).events).toBe(3);
    const abort = new AbortController();
    const endless = runLive({
      source: new FakeSource(),
      outbox: new HttpOutbox(),
      dispatcher: new Dispatcher(publisher, { maxInFlight: 1 }),
      speed: 1,
      simStart: SIM,
      signal: abort.signal,
    });
    await jest.advanceTimersByTimeAsync(1500);
    abort.abort();
    await jest.advanceTimersByTimeAsync(0);
    expect(await endless).toMatchObject({ interrupted: true });
  });
});
