import { parseInboundTopic, topicSite } from './mqtt-topic';

describe('parseInboundTopic', () => {
  it.each([
    ['cw/s1/door/d1', { siteId: 's1', type: 'door', deviceId: 'd1' }],
    ['cw/s1/sensor/pir-1', { siteId: 's1', type: 'sensor', deviceId: 'pir-1' }],
    ['cw/s1/booking', { siteId: 's1', type: 'booking', deviceId: null }],
  ])('routes %s', (topic, route) => {
    expect(parseInboundTopic(topic, 'cw')).toEqual(route);
  });

  it.each([
    'cw/s1/state/r1',
    'cw/s1/door',
    'cw/s1/door/d1/extra',
    'other/s1/door/d1',
    'cw//door/d1',
    'cw/s1/booking/x',
    'cw/s 1/door/d1',
  ])('refuses %s', (topic) => {
    expect(parseInboundTopic(topic, 'cw')).toBeNull();
  });

  it('honours a configured prefix', () => {
    expect(parseInboundTopic('acme/s1/booking', 'acme')?.siteId).toBe('s1');
    expect(parseInboundTopic('cw/s1/booking', 'acme')).toBeNull();
  });

  it('finds the site of any topic under the prefix', () => {
    expect(topicSite('cw/s9/whatever/x', 'cw')).toBe('s9');
    expect(topicSite('nope/s9', 'cw')).toBeNull();
  });
});
