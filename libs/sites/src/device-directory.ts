import { Inject, Injectable, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { DeviceType } from './dto/site-document.schema';
import { SitesRepository } from './sites.repository';
import { SitesService } from './sites.service';
import { DeviceLink } from './sites.types';

/** What the directory reads, per site (implemented by SitesRepository). */
export interface DeviceDirectorySource {
  listDevices(siteId: string): Promise<DeviceLink[]>;
  listResourceIds(siteId: string): Promise<string[]>;
}

/** Where the directory hears that a site was written in this process (implemented by SitesService). */
export interface SiteChangeFeed {
  onSiteChanged(listener: (siteId: string) => void): () => void;
}

export interface DeviceDirectoryOptions {
  /** Writes made by another process reach this one's cache after at most this long. */
  ttlMs: number;
  /** A lookup that misses reloads its site at most this often, so a flood of unknown devices costs one query. */
  missReloadMs: number;
  /** Sites kept in memory; topics naming made-up sites must not grow the cache without bound. */
  maxSites: number;
  now: () => number;
}

export const DEVICE_DIRECTORY_OPTIONS = Symbol('DEVICE_DIRECTORY_OPTIONS');

const DEFAULTS: DeviceDirectoryOptions = {
  ttlMs: 30_000,
  missReloadMs: 5_000,
  maxSites: 10_000,
  now: () => Date.now(),
};

interface SiteEntry {
  devices: Map<string, DeviceLink>;
  resources: Set<string>;
  loadedAt: number;
}

/** Maps a device to the resources it serves, for ingest, from a per-site in-memory copy of the site. */
@Injectable()
export class DeviceDirectory implements OnModuleInit, OnModuleDestroy {
  private readonly options: DeviceDirectoryOptions;
  private readonly sites = new Map<string, SiteEntry>();
  private readonly loading = new Map<string, Promise<SiteEntry>>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    @Inject(SitesRepository) private readonly source: DeviceDirectorySource,
    @Inject(SitesService) private readonly changes: SiteChangeFeed,
    @Optional() @Inject(DEVICE_DIRECTORY_OPTIONS) options?: Partial<DeviceDirectoryOptions>,
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  onModuleInit(): void {
    this.unsubscribe = this.changes.onSiteChanged((siteId) => this.invalidate(siteId));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** `null` when the site has no device of that type and id. */
  async resolve(
    siteId: string,
    deviceType: DeviceType,
    deviceId: string,
  ): Promise<{ resourceIds: string[] } | null> {
    const find = (entry: SiteEntry) => {
      const device = entry.devices.get(deviceId);
      return device && device.type === deviceType ? { resourceIds: [...device.resourceIds] } : null;
    };
    const hit = find(await this.current(siteId));
    if (hit) return hit;
    const fresh = await this.reloadAfterMiss(siteId);
    return fresh ? find(fresh) : null;
  }

  async resourceExists(siteId: string, resourceId: string): Promise<boolean> {
    if ((await this.current(siteId)).resources.has(resourceId)) return true;
    const fresh = await this.reloadAfterMiss(siteId);
    return fresh ? fresh.resources.has(resourceId) : false;
  }

  /** Drops the site's copy; the next lookup reloads it. A load already under way is not kept either. */
  invalidate(siteId: string): void {
    this.sites.delete(siteId);
    this.loading.delete(siteId);
  }

  private async current(siteId: string): Promise<SiteEntry> {
    const entry = this.sites.get(siteId);
    if (entry && this.options.now() - entry.loadedAt < this.options.ttlMs) return entry;
    return this.load(siteId);
  }

  /** A miss may mean a device added since the load; `undefined` when the copy is too recent to be worth a reload. */
  private async reloadAfterMiss(siteId: string): Promise<SiteEntry | undefined> {
    const entry = this.sites.get(siteId);
    if (entry && this.options.now() - entry.loadedAt < this.options.missReloadMs) return undefined;
    return this.load(siteId);
  }

  /** Concurrent lookups of a site share one load; a load invalidated while in flight is not cached. */
  private load(siteId: string): Promise<SiteEntry> {
    const pending = this.loading.get(siteId);
    if (pending) return pending;
    const promise = this.fetch(siteId);
    this.loading.set(siteId, promise);
    const settle = (entry?: SiteEntry) => {
      if (this.loading.get(siteId) !== promise) return;
      this.loading.delete(siteId);
      if (entry) this.store(siteId, entry);
    };
    // A failed load is not cached (the caller sees the error), so the next lookup tries again.
    void promise.then(settle, () => settle());
    return promise;
  }

  private async fetch(siteId: string): Promise<SiteEntry> {
    const loadedAt = this.options.now();
    const [devices, resourceIds] = await Promise.all([
      this.source.listDevices(siteId),
      this.source.listResourceIds(siteId),
    ]);
    return {
      devices: new Map(
        devices.map((d) => [d.id, { id: d.id, type: d.type, resourceIds: [...d.resourceIds] }]),
      ),
      resources: new Set(resourceIds),
      loadedAt,
    };
  }

  private store(siteId: string, entry: SiteEntry): void {
    this.sites.delete(siteId);
    if (this.sites.size >= this.options.maxSites) {
      const oldest = this.sites.keys().next();
      if (!oldest.done) this.sites.delete(oldest.value);
    }
    this.sites.set(siteId, entry);
  }
}
