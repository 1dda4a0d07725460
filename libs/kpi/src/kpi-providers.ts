import { Injectable } from '@nestjs/common';
import { LocalPeriod } from './time/period';

/** What a KPI provider is asked for: one site and one local period, clipped to now. */
export interface KpiContext {
  siteId: string;
  timeZone: string;
  currency: string;
  period: LocalPeriod;
  /** [from, to) as instants: local midnight of the first day to local midnight after the last, or now. */
  from: Date;
  to: Date;
  now: Date;
}

/**
 * A module that adds KPIs to the site's answer (MRR, revenue by stream, churn, overdue invoices...) without this
 * module knowing it: it registers itself in onModuleInit and its result appears under `extra[name]`. A provider
 * answers null fields with a reason, as the built-in KPIs do.
 */
export interface KpiProvider {
  readonly name: string;
  compute(context: KpiContext): Promise<Record<string, unknown>>;
}

@Injectable()
export class KpiProviderRegistry {
  private readonly providers = new Map<string, KpiProvider>();

  register(provider: KpiProvider): void {
    if (this.providers.has(provider.name))
      throw new Error(`KPI provider ${provider.name} is already registered`);
    this.providers.set(provider.name, provider);
  }

  list(): KpiProvider[] {
    return [...this.providers.values()];
  }
}
