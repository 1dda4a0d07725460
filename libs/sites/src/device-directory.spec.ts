import {
  DeviceDirectory,
  DeviceDirectoryOptions,
  DeviceDirectorySource,
  SiteChangeFeed,
} from './device-directory';
import { DeviceLink } from './sites.types';

/** An in-memory site store that counts loads and can hold a load open to test races. */
class FakeSource implements DeviceDirectorySource {
  readonly sites = new Map<string, { devices: DeviceLink[]; resources: string[] }>();
  loads = 0;
  failNext = false;
  private gate: Promise<void> | undefined;
  private openGate: (() => void) | undefined;

  hold(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  release(): void {
    this.openGate?.();
    this.gate = undefined;
  }

  async listDevices(siteId: string): Promise<DeviceLink[]> {
    this.loads += 1;
    const snapshot = (this.sites.get(siteId)?.devices ?? []).map((d) => ({
      ...d,
      resourceIds: [...d.resourceIds],
    }));
    await this.gate;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('database down');
    }
    return snapshot;
  }

  async listResourceIds(siteId: string): Promise<string[]> {
    const snapshot = [...(this.sites.get(siteId)?.resources ?? [])];
    await this.gate;
    return snapshot;
  }
}

class FakeFeed implements SiteChangeFeed {
  readonly listeners = new Set<(siteId: string) => void>();
  onSiteChanged(listener: (siteId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(siteId: string): void {
    this.listeners.forEach((listener) => listener(siteId));
  }
}

function setup(options: Partial<DeviceDirectoryOptions> = {}) {
  let now = 1_000_000;
  const source = new FakeSource();
  source.sites.set('s1', {
    devices: [
      { id: 'door-a', type: 'door', resourceIds: ['room-a', 'room-b'] },
      { id: 'pir-1', type: 'sensor', resourceIds: ['desk-1'] },
    ],
    resources: ['room-a', 'room-b', 'desk-1'],
  });
  const feed = new FakeFeed();
  const directory = new DeviceDirectory(source, feed, {
    ttlMs: 30_000,
    missReloadMs: 5_000,
    now: () => now,
    ...options,
  });
  directory.onModuleInit();
  const advance = (ms: number) => {
    now += ms;
  };
  return { source, feed, directory, advance };
}

describe('DeviceDirectory', () => {
  it('maps a device of the right type to its resources, and loads a site once for concurrent lookups', async () => {
    const { source, directory } = setup();
    const results = await Promise.all([
      directory.resolve('s1', 'door', 'door-a'),
      directory.resolve('s1', 'sensor', 'pir-1'),
      directory.resourceExists('s1', 'desk-1'),
    ]);
    expect(results).toEqual([{ resourceIds: ['room-a', 'room-b'] }, { resourceIds: ['desk-1'] }, true]);
    expect(await directory.resolve('s1', 'sensor', 'door-a')).toBeNull();
    expect(source.loads).toBe(1);
  });

  it('hands out copies, so a caller cannot change the cache', async () => {
    const { directory } = setup();
    const first = await directory.resolve('s1', 'door', 'door-a');
    first!.resourceIds.push('mutated');
    expect(await directory.resolve('s1', 'door', 'door-a')).toEqual({ resourceIds: ['room-a', 'room-b'] });
  });

  it('reloads after the TTL, picking up writes made by another process', async () => {
    const { source, directory, advance } = setup();
    await directory.resolve('s1', 'door', 'door-a');
    source.sites.get('s1')!.devices[0].resourceIds = ['room-a'];
    advance(29_999);
    expect(await directory.resolve('s1', 'door', 'door-a')).toEqual({ resourceIds: ['room-a', 'room-b'] });
    advance(1);
    expect(await directory.resolve('s1', 'door', 'door-a')).toEqual({ resourceIds: ['room-a'] });
    expect(source.loads).toBe(2);
  });

  it('reloads a site as soon as this process changes it, and only that site', async () => {
    const { source, feed, directory } = setup();
    source.sites.set('s2', { devices: [{ id: 'door-z', type: 'door', resourceIds: [] }], resources: [] });
    await directory.resolve('s1', 'door', 'door-a');
    await directory.resolve('s2', 'door', 'door-z');
    source.sites.get('s1')!.devices = [];
    feed.emit('s1');
    expect(await directory.resolve('s1', 'door', 'door-a')).toBeNull();
    await directory.resolve('s2', 'door', 'door-z');
    expect(source.loads).toBe(3);
  });

  it('does not cache a load that was invalidated while it ran', async () => {
    const { source, feed, directory } = setup();
    source.hold();
    const stale = directory.resolve('s1', 'door', 'door-a');
    source.sites.get('s1')!.devices[0].resourceIds = ['room-b'];
    feed.emit('s1');
    source.release();
    expect(await stale).toEqual({ resourceIds: ['room-a', 'room-b'] });
    expect(await directory.resolve('s1', 'door', 'door-a')).toEqual({ resourceIds: ['room-b'] });
  });

  it('reloads a site at most once per missReloadMs for unknown devices and resources', async () => {
    const { source, directory, advance } = setup();
    await directory.resolve('s1', 'door', 'door-a');
    const flood = await Promise.all(
      Array.from({ length: 200 }, (_, i) => directory.resolve('s1', 'sensor', `ghost-${i}`)),
    );
    expect(flood.every((r) => r === null)).toBe(true);
    expect(await directory.resourceExists('s1', 'ghost-room')).toBe(false);
    expect(source.loads).toBe(1);

    advance(5_000);
    source.sites.get('s1')!.devices.push({ id: 'pir-new', type: 'sensor', resourceIds: ['desk-1'] });
    await Promise.all(Array.from({ length: 50 }, () => directory.resolve('s1', 'sensor', 'ghost')));
    expect(source.loads).toBe(2);
    expect(await directory.resolve('s1', 'sensor', 'pir-new')).toEqual({ resourceIds: ['desk-1'] });
    expect(source.loads).toBe(2);
  });

  it('finds a device added since the load once the throttle window has passed', async () => {
    const { source, directory, advance } = setup();
    expect(await directory.resolve('s1', 'door', 'door-new')).toBeNull();
    source.sites.get('s1')!.devices.push({ id: 'door-new', type: 'door', resourceIds: ['room-a'] });
    advance(4_999);
    expect(await directory.resolve('s1', 'door', 'door-new')).toBeNull();
    advance(1);
    expect(await directory.resolve('s1', 'door', 'door-new')).toEqual({ resourceIds: ['room-a'] });
  });

  it('caches an unknown site as empty instead of querying for every event', async () => {
    const { source, directory } = setup();
    for (let i = 0; i < 20; i += 1) expect(await directory.resolve('nowhere', 'door', 'd')).toBeNull();
    expect(source.loads).toBe(1);
  });

  it('does not cache a failed load: the error reaches the caller and the next lookup retries', async () => {
    const { source, directory } = setup();
    source.failNext = true;
    await expect(directory.resolve('s1', 'door', 'door-a')).rejects.toThrow('database down');
    expect(await directory.resolve('s1', 'door', 'door-a')).toEqual({ resourceIds: ['room-a', 'room-b'] });
    expect(source.loads).toBe(2);
  });

  it('keeps at most maxSites sites, dropping the least recently loaded', async () => {
    const { source, directory } = setup({ maxSites: 2 });
    await directory.resolve('a', 'door', 'x');
    await directory.resolve('b', 'door', 'x');
    await directory.resolve('c', 'door', 'x');
    await directory.resolve('b', 'door', 'x');
    expect(source.loads).toBe(3);
    await directory.resolve('a', 'door', 'x');
    expect(source.loads).toBe(4);
  });

  it('stops listening when the module is destroyed', () => {
    const { feed, directory } = setup();
    expect(feed.listeners.size).toBe(1);
    directory.onModuleDestroy();
    expect(feed.listeners.size).toBe(0);
  });
});
