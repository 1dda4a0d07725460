import { sensorEvent } from '../testing/fake-source';
import { HttpOutbox, MqttOutbox } from './outbox';

describe('HttpOutbox', () => {
  it('cuts batches of at most 5000 mixed events, each an HTTP item', () => {
    const outbox = new HttpOutbox();
    for (let i = 0; i < 12_001; i++) outbox.add(sensorEvent(i));
    const full = outbox.full();
    expect(full.map((m) => m.events)).toEqual([5000, 5000]);
    expect(outbox.buffered).toBe(2001);
    const rest = outbox.flush();
    expect(rest.map((m) => m.events)).toEqual([2001]);
    const items = JSON.parse(full[0].body) as Array<Record<string, unknown>>;
    expect(items).toHaveLength(5000);
    expect(items[3]).toEqual({
      type: 'sensor',
      site: 'fake',
      sensor: 'pir-3',
      id: 'e3',
      ts: '2026-03-04T08:00:03.000Z',
      kind: 'presence',
      value: 1,
    });
    expect(full[0].topic).toBeNull();
    expect(outbox.flush()).toEqual([]);
  });

  it('refuses a batch size the platform would refuse', () => {
    expect(() => new HttpOutbox(5001)).toThrow('batch size');
    expect(() => new HttpOutbox(0)).toThrow('batch size');
  });
});

describe('MqttOutbox', () => {
  it('groups events per topic into arrays, keeping each device in order', () => {
    const outbox = new MqttOutbox(3);
    for (let i = 0; i < 20; i++) outbox.add(sensorEvent(i, 4));
    const full = outbox.full();
    expect(full.map((m) => [m.topic, m.events])).toEqual([
      ['cw/fake/sensor/pir-0', 3],
      ['cw/fake/sensor/pir-1', 3],
      ['cw/fake/sensor/pir-2', 3],
      ['cw/fake/sensor/pir-3', 3],
    ]);
    expect((JSON.parse(full[0].body) as Array<{ id: string }>).map((p) => p.id)).toEqual(['e0', 'e4', 'e8']);
    const rest = outbox.flush();
    expect(rest.reduce((n, m) => n + m.events, 0)).toBe(8);
    expect(outbox.buffered).toBe(0);
  });

  it('sends a lone event as an object, not an array', () => {
    const outbox = new MqttOutbox(10);
    outbox.add(sensorEvent(1));
    const [message] = outbox.flush();
    expect(JSON.parse(message.body)).toMatchObject({ id: 'e1', kind: 'presence' });
  });
});
