import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, notFound } from '@cw/common';
import { defaultPeriod, PlanBody } from './dto/plan.dto';
import { Plan, Upserted } from './membership.types';
import { PlansRepository } from './plans.repository';
import { SiteCalendar } from './site-calendar';

@Injectable()
export class PlansService {
  constructor(
    private readonly repo: PlansRepository,
    private readonly calendar: SiteCalendar,
  ) {}

  /**
   * Idempotent. A new list price applies to contracts signed from now on: running contracts keep the price they were
   * signed at. A plan already sold may not change kind (a desk membership cannot turn into a day pass).
   */
  async put(siteId: string, id: string, body: PlanBody): Promise<Upserted<Plan>> {
    await this.calendar.day(siteId);
    const existing = await this.repo.find(siteId, id);
    if (existing && existing.kind !== body.kind && (await this.repo.isSold(siteId, id)))
      throw new DomainError(
        ErrorCode.Conflict,
        `plan ${id} is a ${existing.kind} held by contracts or passes; it cannot become a ${body.kind} (create a new plan)`,
        [{ path: 'kind', message: `must stay ${existing.kind}` }],
      );
    return this.repo.upsert(siteId, id, {
      name: body.name,
      kind: body.kind,
      priceMinor: body.priceMinor,
      period: body.period ?? defaultPeriod(body.kind),
      includedCreditsMinor: body.includedCreditsMinor ?? 0,
      passDays: body.passDays ?? null,
      passMinutes: body.passMinutes ?? null,
      passValidDays: body.passValidDays ?? null,
      accessZones: body.accessZones ?? [],
      accessHours: body.accessHours ?? [],
      bookableKinds: body.bookableKinds ?? [],
      bookingDiscountPct: body.bookingDiscountPct ?? 0,
      active: body.active ?? true,
    });
  }

  async get(siteId: string, id: string): Promise<Plan> {
    const plan = await this.repo.find(siteId, id);
    if (!plan) throw notFound(`plan ${id} at site ${siteId}`);
    return plan;
  }

  async list(siteId: string): Promise<Plan[]> {
    await this.calendar.day(siteId);
    return this.repo.list(siteId);
  }
}
