import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { SitesService } from '@cw/sites';
import { AccessRepository } from './access.repository';
import { DoorFacts, SiteAccessFacts } from './rules/access-facts';
import { AccessZone } from './access.types';

export interface SiteAccessMap {
  site: SiteAccessFacts;
  doors: Map<string, DoorFacts>;
  zones: AccessZone[];
  loadedAt: number;
}

/** Writes made by another api process reach this one's copy after at most this long. */
const TTL_MS = 30_000;
/** Sites kept in memory; requests naming made-up sites must not grow the cache without bound. */
const MAX_SITES = 10_000;

/**
 * A per-site in-memory copy of what every decision needs and rarely changes: the site's zone and hours, the booking
 * margin, its doors with the resources they serve and the zones holding them. Dropped when this process writes the
 * site, a zone or the settings; reloaded after TTL_MS otherwise. What changes per member (credentials, contracts,
 * bookings, passes) is never cached: it is read fresh by each decision.
 */
@Injectable()
export class AccessDirectory implements OnModuleInit, OnModuleDestroy {
  private readonly sites = new Map<string, SiteAccessMap>();
  private readonly loading = new Map<string, Promise<SiteAccessMap | undefined>>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly repository: AccessRepository,
    private readonly sitesService: SitesService,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.sitesService.onSiteChanged((siteId) => this.invalidate(siteId));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** Undefined when the site does not exist. */
  async site(siteId: string): Promise<SiteAccessMap | undefined> {
    const entry = this.sites.get(siteId);
    if (entry && Date.now() - entry.loadedAt < TTL_MS) return entry;
    return this.load(siteId);
  }

  invalidate(siteId: string): void {
    this.sites.delete(siteId);
    this.loading.delete(siteId);
  }

  private load(siteId: string): Promise<SiteAccessMap | undefined> {
    const pending = this.loading.get(siteId);
    if (pending) return pending;
    const promise = this.fetch(siteId);
    this.loading.set(siteId, promise);
    const settle = (entry?: SiteAccessMap) => {
      // a load invalidated while in flight may hold what was there before the write: not kept
      if (this.loading.get(siteId) !== promise) return;
      this.loading.delete(siteId);
      if (!entry) return;
      if (this.sites.size >= MAX_SITES) {
        const oldest = this.sites.keys().next();
        if (!oldest.done) this.sites.delete(oldest.value);
      }
      this.sites.set(siteId, entry);
    };
    void promise.then(settle, () => settle());
    return promise;
  }

  private async fetch(siteId: string): Promise<SiteAccessMap | undefined> {
    const loadedAt = Date.now();
    const [settings, doors, zones] = await Promise.all([
      this.repository.siteSettings(siteId),
      this.repository.doors(siteId),
      this.repository.listZones(siteId),
    ]);
    if (!settings) return undefined;
    return {
      site: {
        timeZone: settings.timeZone,
        openingHours: settings.openingHours,
        bookingMarginMs: settings.bookingMarginMinutes * 60_000,
      },
      doors: new Map(
        doors.map((door) => [
          door.id,
          {
            id: door.id,
            resourceIds: door.resourceIds,
            zoneIds: zones.filter((zone) => zone.doorIds.includes(door.id)).map((zone) => zone.id),
          },
        ]),
      ),
      zones,
      loadedAt,
    };
  }
}
