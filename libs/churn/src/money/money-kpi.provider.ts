import { Injectable, OnModuleInit } from '@nestjs/common';
import { KpiContext, KpiProvider, KpiProviderRegistry } from '@cw/kpi';
import { MoneyKpisService } from './money-kpis.service';

/**
 * Adds the money KPIs to every answer of the KPI API (GET /v1/sites/{site}/kpis) under `extra.money`, for the same
 * site and local period, so the board report and BI read them beside utilisation.
 */
@Injectable()
export class MoneyKpiProvider implements KpiProvider, OnModuleInit {
  readonly name = 'money';

  constructor(
    private readonly registry: KpiProviderRegistry,
    private readonly money: MoneyKpisService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async compute(context: KpiContext): Promise<Record<string, unknown>> {
    const result = await this.money.forPeriod(context.siteId, context.period.kind, context.period.from);
    return result.kpis === null
      ? { period: result.period, kpis: null, reason: result.reason }
      : { period: result.period, partial: result.partial, ...result.kpis };
  }
}
