import { Principal } from '@cw/auth';
import { mayPublish, maySubscribe } from './topic-acl';

const key = (role: Principal['role'], siteId: string | null): Principal => ({
  keyId: 'k',
  name: 'k',
  role,
  siteId,
  memberId: null,
});

describe('mayPublish', () => {
  it('lets a device key publish events for its own site only', () => {
    const device = key('device', 's1');
    expect(mayPublish(device, 'cw/s1/door/d1', 'cw')).toBe(true);
    expect(mayPublish(device, 'cw/s1/sensor/p1', 'cw')).toBe(true);
    expect(mayPublish(device, 'cw/s1/booking', 'cw')).toBe(true);
    expect(mayPublish(device, 'cw/s2/door/d1', 'cw')).toBe(false);
  });

  it('keeps outbound and foreign topics for the platform', () => {
    expect(mayPublish(key('integration', 's1'), 'cw/s1/state/r1', 'cw')).toBe(false);
    expect(mayPublish(key('integration', 's1'), 'cw/s1/release/b1', 'cw')).toBe(false);
    expect(mayPublish(key('admin', null), 'cw/s1/release/b1', 'cw')).toBe(false);
    expect(mayPublish(key('device', 's1'), 'other/s1/door/d1', 'cw')).toBe(false);
  });

  it('never lets a member key speak for doors, sensors or bookings, nor listen in', () => {
    expect(mayPublish(key('member', 's1'), 'cw/s1/door/d1', 'cw')).toBe(false);
    expect(mayPublish(key('member', 's1'), 'cw/s1/booking', 'cw')).toBe(false);
    expect(maySubscribe(key('member', 's1'), 'cw/s1/release/+', 'cw')).toBe(false);
  });

  it('lets an admin key publish events for any site', () => {
    expect(mayPublish(key('admin', null), 'cw/s7/sensor/x', 'cw')).toBe(true);
  });
});

describe('maySubscribe', () => {
  it('keeps subscriptions inside the key site', () => {
    expect(maySubscribe(key('integration', 's1'), 'cw/s1/release/+', 'cw')).toBe(true);
    expect(maySubscribe(key('integration', 's1'), '$share/g/cw/s1/state/#', 'cw')).toBe(true);
    expect(maySubscribe(key('integration', 's1'), 'cw/+/release/+', 'cw')).toBe(false);
    expect(maySubscribe(key('integration', 's1'), '#', 'cw')).toBe(false);
    expect(maySubscribe(key('admin', null), '#', 'cw')).toBe(true);
  });
});
