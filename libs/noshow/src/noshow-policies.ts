import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { SitesService } from '@cw/sites';
import { NoShowRepository } from './noshow.repository';
import { DEFAULT_POLICY, NoShowPolicy } from './noshow.rules';

/**
 * Another process may change a policy (an api beside the worker that decides): past this age a cached site is read
 * again. Within a process a change is seen at once.
 */
const MAX_AGE_MS = 60_000;

interface SitePolicies {
  kinds: Map<string, string>;
  policies: Map<string, NoShowPolicy>;
}

/**
 * No-show policies per site, cached: every booking change, piece of evidence and decision needs its policy, and one
 * read per need was a database round trip in each of them. Forgotten when a policy is set or the site changes.
 */
@Injectable()
export class NoShowPolicies implements OnModuleInit, OnModuleDestroy {
  private readonly cache = new Map<string, { loading: Promise<SitePolicies>; at: number }>();
  private offSiteChanged: (() => void) | undefined;

  constructor(
    private readonly repo: NoShowRepository,
    private readonly sites: SitesService,
  ) {}

  onModuleInit(): void {
    this.offSiteChanged = this.sites.onSiteChanged((siteId) => this.forget(siteId));
  }

  onModuleDestroy(): void {
    this.offSiteChanged?.();
  }

  /** The policy of the resource's kind at its site, else the site default (`*`), else 15 + 15 minutes. */
  async policyFor(siteId: string, resourceId: string): Promise<NoShowPolicy> {
    return (await this.forSite(siteId))(resourceId);
  }

  /** One read for the site, then a lookup per resource that costs nothing: for many bookings of one site at once. */
  async forSite(siteId: string): Promise<(resourceId: string) => NoShowPolicy> {
    const site = await this.site(siteId);
    return (resourceId) => {
      const kind = site.kinds.get(resourceId);
      return (
        (kind === undefined ? undefined : site.policies.get(kind)) ?? site.policies.get('*') ?? DEFAULT_POLICY
      );
    };
  }

  /** `kind` '*' sets the site default. */
  async set(siteId: string, kind: string, policy: NoShowPolicy): Promise<void> {
    this.forget(siteId);
    await this.repo.setPolicy(siteId, kind, policy);
    // A read that started before the write must not leave the old policy cached.
    this.forget(siteId);
  }

  forget(siteId: string): void {
    this.cache.delete(siteId);
  }

  private site(siteId: string): Promise<SitePolicies> {
    const cached = this.cache.get(siteId);
    if (cached && Date.now() - cached.at < MAX_AGE_MS) return cached.loading;
    const entry = { loading: this.repo.sitePolicies(siteId), at: Date.now() };
    this.cache.set(siteId, entry);
    entry.loading.catch(() => {
      if (this.cache.get(siteId) === entry) this.cache.delete(siteId);
    });
    return entry.loading;
  }
}
