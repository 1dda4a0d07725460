import { EventSink, LivePlayer, SimClock } from './live-player';
import { SimEvent } from './sim-event';

const T0 = Date.parse('2026-03-04T08:00:00Z');

function event(n: number, atMs: number): SimEvent {
  const at = new Date(atMs);
  return {
    at,
    type: 'sensor',
    topic: 'cw/demo/sensor/pir-x',
    payload: { id: `e${n}`, ts: at.toISOString(), kind: 'presence', value: 1 },
  };
}

class RecordingSink implements EventSink {
  readonly published: Array<{ id: string; wallMs: number }> = [];
  closed = false;
  constructor(private readonly fail: (e: SimEvent) => boolean = () => false) {}
  publish(e: SimEvent): Promise<void> {
    if (this.fail(e)) return Promise.reject(new Error('broker said no'));
    this.published.push({ id: e.payload.id, wallMs: Date.now() });
    return Promise.resolve();
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

describe('LivePlayer', () => {
  beforeEach(() => jest.useFakeTimers({ now: T0 }));
  afterEach(() => jest.useRealTimers());

  const clock = (speed: number, simStart = T0): SimClock => ({ simStart, wallStart: Date.now(), speed });

  it('publishes each event at its simulated time scaled by the speed', async () => {
    const sink = new RecordingSink();
    const player = new LivePlayer(sink, clock(60));
    // one simulated minute apart: one wall second apart at speed 60
    player.enqueue([event(1, T0), event(2, T0 + 60_000), event(3, T0 + 120_000)]);
    await jest.advanceTimersByTimeAsync(0);
    expect(sink.published.map((p) => p.id)).toEqual(['e1']);
    await jest.advanceTimersByTimeAsync(999);
    expect(sink.published.map((p) => p.id)).toEqual(['e1']);
    await jest.advanceTimersByTimeAsync(1);
    expect(sink.published.map((p) => p.id)).toEqual(['e1', 'e2']);
    await jest.advanceTimersByTimeAsync(1000);
    expect(sink.published.map((p) => p.wallMs - T0)).toEqual([0, 1000, 2000]);
    await player.idle();
    expect(player.published).toBe(3);
  });

  it('catches up at once on events before the start, in their order', async () => {
    const sink = new RecordingSink();
    const player = new LivePlayer(sink, clock(1, T0 + 3_600_000));
    player.enqueue([event(2, T0 + 60_000), event(1, T0), event(3, T0 + 7_200_000)]);
    await jest.advanceTimersByTimeAsync(0);
    expect(sink.published.map((p) => p.id)).toEqual(['e1', 'e2']);
    await jest.advanceTimersByTimeAsync(3_600_000);
    expect(sink.published.map((p) => p.id)).toEqual(['e1', 'e2', 'e3']);
  });

  it('publishes everything at once at infinite speed, keeping at most maxInFlight unacknowledged', async () => {
    let open = 0;
    let most = 0;
    const sink: EventSink = {
      publish: () => {
        most = Math.max(most, ++open);
        return new Promise((resolve) =>
          setTimeout(() => {
            open--;
            resolve();
          }, 10),
        );
      },
      close: () => Promise.resolve(),
    };
    const player = new LivePlayer(sink, clock(Infinity), { maxInFlight: 4 });
    player.enqueue(Array.from({ length: 50 }, (_, i) => event(i, T0 + i * 3_600_000)));
    const idle = player.idle();
    // 50 events, 4 at a time, 10 ms each: the whole simulated 50 hours take 130 wall ms
    await jest.advanceTimersByTimeAsync(130);
    await idle;
    expect(player.published).toBe(50);
    expect(most).toBe(4);
  });

  it('runs scheduled tasks at their simulated time and lets them enqueue more', async () => {
    const sink = new RecordingSink();
    const player = new LivePlayer(sink, clock(1));
    player.at(T0 + 10_000, () => player.enqueue([event(9, T0 + 10_000), event(10, T0 + 20_000)]));
    await jest.advanceTimersByTimeAsync(10_000);
    expect(sink.published.map((p) => p.id)).toEqual(['e9']);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(sink.published.map((p) => p.id)).toEqual(['e9', 'e10']);
  });

  it('reports failed publishes and carries on', async () => {
    const errors: string[] = [];
    const sink = new RecordingSink((e) => e.payload.id === 'e2');
    const player = new LivePlayer(sink, clock(Infinity), {
      onError: (error, e) => errors.push(`${e.payload.id}: ${error.message}`),
    });
    player.enqueue([event(1, T0), event(2, T0), event(3, T0)]);
    await jest.advanceTimersByTimeAsync(0);
    await player.idle();
    expect(errors).toEqual(['e2: broker said no']);
    expect([player.published, player.failed]).toEqual([2, 1]);
  });

  it('stops cleanly: nothing more is published and no timer is left behind', async () => {
    const sink = new RecordingSink();
    const player = new LivePlayer(sink, clock(1));
    player.enqueue([event(1, T0), event(2, T0 + 60_000), event(3, T0 + 86_400_000)]);
    await jest.advanceTimersByTimeAsync(0);
    await player.stop();
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(86_400_000);
    expect(sink.published.map((p) => p.id)).toEqual(['e1']);
    player.enqueue([event(4, T0)]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('sleeps in bounded steps across long gaps', async () => {
    const sink = new RecordingSink();
    const player = new LivePlayer(sink, clock(1));
    // 30 days ahead: beyond what a single Node timeout can wait
    player.enqueue([event(1, T0 + 30 * 86_400_000)]);
    await jest.advanceTimersByTimeAsync(29 * 86_400_000);
    expect(sink.published).toEqual([]);
    await jest.advanceTimersByTimeAsync(86_400_000);
    expect(sink.published.map((p) => p.id)).toEqual(['e1']);
  });
});
