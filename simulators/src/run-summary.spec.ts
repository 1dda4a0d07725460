import { countByKind, formatProgress, formatSummary } from './run-summary';
import { SimEvent } from './sim-event';

const at = new Date('2026-03-04T08:00:00Z');
const ts = at.toISOString();
const events: SimEvent[] = [
  { at, type: 'door', topic: 'cw/s/door/d', payload: { id: '1', ts, credential: 'c', result: 'granted' } },
  { at, type: 'sensor', topic: 'cw/s/sensor/p', payload: { id: '2', ts, kind: 'presence', value: 1 } },
  { at, type: 'sensor', topic: 'cw/s/sensor/p', payload: { id: '3', ts, kind: 'presence', value: 0 } },
  { at, type: 'sensor', topic: 'cw/s/sensor/c', payload: { id: '4', ts, kind: 'people_in', value: 2 } },
  {
    at,
    type: 'booking',
    topic: 'cw/s/booking',
    payload: {
      id: '5',
      ts,
      booking: 'b',
      resource: 'r',
      start: ts,
      end: '2026-03-04T09:00:00Z',
      status: 'created',
    },
  },
];

describe('run summary', () => {
  it('counts events per type and kind', () => {
    expect(countByKind(events)).toEqual({
      'booking:created': 1,
      door: 1,
      'sensor:people_in': 1,
      'sensor:presence': 2,
    });
  });

  it('prints progress and a summary with the achieved rate', () => {
    expect(formatProgress(25, 200)).toBe('published 25/200 (12.5%)');
    const summary = formatSummary(countByKind(events), {
      total: 5,
      published: 4,
      failed: 1,
      elapsedMs: 2000,
    });
    expect(summary).toContain('sensor:presence      2');
    expect(summary).toContain('published 4/5, failed 1, in 2.0 s, 2.0 events/s');
  });
});
