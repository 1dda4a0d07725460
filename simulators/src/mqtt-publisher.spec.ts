import { EventSink } from './live-player';
import { MqttEventSink, publishEvents } from './mqtt-publisher';
import { SimEvent } from './sim-event';

const at = new Date('2026-03-04T08:00:00Z');
const door: SimEvent = {
  at,
  type: 'door',
  topic: 'cw/demo/door/door-main',
  payload: {
    id: 'sim-1-20260304-1',
    ts: at.toISOString(),
    credential: 'card-00c0ffee',
    member: 'm-001',
    direction: 'in',
    result: 'granted',
  },
};

describe('MqttEventSink', () => {
  it('publishes the payload as JSON on the event topic with QoS 1', async () => {
    const publishAsync = jest.fn().mockResolvedValue(undefined);
    const endAsync = jest.fn().mockResolvedValue(undefined);
    const sink = new MqttEventSink({ publishAsync, endAsync });
    await sink.publish(door);
    expect(publishAsync).toHaveBeenCalledWith('cw/demo/door/door-main', JSON.stringify(door.payload), {
      qos: 1,
    });
    await sink.close(true);
    expect(endAsync).toHaveBeenCalledWith(true);
  });

  it('passes a broker refusal on to the caller', async () => {
    const sink = new MqttEventSink({
      publishAsync: jest.fn().mockRejectedValue(new Error('not authorized')),
      endAsync: jest.fn(),
    });
    await expect(sink.publish(door)).rejects.toThrow('not authorized');
  });
});

describe('publishEvents', () => {
  beforeEach(() => jest.useFakeTimers({ now: at }));
  afterEach(() => jest.useRealTimers());

  it('maps the first event to now by default and resolves once everything is acknowledged', async () => {
    const published: number[] = [];
    const sink: EventSink = {
      publish: () => Promise.resolve(void published.push(Date.now())),
      close: () => Promise.resolve(),
    };
    const later = (minutes: number): SimEvent => ({ ...door, at: new Date(at.getTime() + minutes * 60_000) });
    const { done } = publishEvents(sink, [later(60), later(61), later(70)], { speed: 60 });
    await jest.advanceTimersByTimeAsync(10_000);
    await done;
    expect(published.map((t) => t - at.getTime())).toEqual([0, 1000, 10_000]);
  });

  it('refuses a speed that is not positive', () => {
    const sink: EventSink = { publish: () => Promise.resolve(), close: () => Promise.resolve() };
    expect(() => publishEvents(sink, [door], { speed: 0 })).toThrow('speed');
  });
});
