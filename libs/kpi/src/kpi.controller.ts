import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { assertSiteAccess, CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { ZodBody } from '@cw/common';
import { SitesService } from '@cw/sites';
import {
  forecastQuerySchema,
  kpiQuerySchema,
  refreshBodySchema,
  retentionBodySchema,
} from './dto/kpi-query.schema';
import { KpiService } from './kpi.service';
import { MaterialiseRepository } from './materialise/materialise.repository';
import { Materialiser } from './materialise/materialiser';
import { datesOf } from './time/period';

/**
 * KPIs of a site and a local period (utilisation, booking rate, booked-vs-used, no-show rate, peak occupancy,
 * hour-of-week heatmaps), per resource, per kind and for the site. Formulas: docs/kpis.md.
 */
@ApiTags('kpis')
@ApiBearerAuth()
@Controller('v1/sites/:site/kpis')
export class KpiController {
  constructor(
    private readonly kpis: KpiService,
    private readonly materialiser: Materialiser,
    private readonly sites: SitesService,
  ) {}

  @Get()
  @Roles('admin', 'manager')
  get(
    @Param('site') site: string,
    @Query(new ZodBody(kpiQuerySchema)) query: z.infer<typeof kpiQuerySchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertSiteAccess(principal, site);
    return this.kpis.siteKpis(site, query);
  }

  /** Expected utilisation per hour of week of a resource or kind, from the last weeks (dynamic pricing's input). */
  @Get('forecast')
  @Roles('admin', 'manager')
  forecast(
    @Param('site') site: string,
    @Query(new ZodBody(forecastQuerySchema)) query: z.infer<typeof forecastQuerySchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertSiteAccess(principal, site);
    const target = query.resource !== undefined ? { resourceId: query.resource } : { kind: query.kind! };
    return this.kpis.forecastUtilisation(site, target, query.weeks);
  }

  /** Re-derives the KPI slices of these local days now (after an import, or to check a day by hand). */
  @Post('refresh')
  @HttpCode(200)
  @Roles('admin', 'manager')
  async refresh(
    @Param('site') site: string,
    @Body(new ZodBody(refreshBodySchema)) body: z.infer<typeof refreshBodySchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertSiteAccess(principal, site);
    await this.sites.getSite(site);
    const days = await this.materialiser.materialise(site, datesOf(body));
    return { site, from: body.from, to: body.to, days };
  }
}

/** How long presence data tied to a person is kept (door events, member entries and visits). */
@ApiTags('kpis')
@ApiBearerAuth()
@Controller('v1/kpis/retention')
export class RetentionController {
  constructor(private readonly repo: MaterialiseRepository) {}

  @Get()
  @Roles('admin')
  async get() {
    return { personalDataDays: await this.repo.personalRetentionDays() };
  }

  @Put()
  @Roles('admin')
  async put(@Body(new ZodBody(retentionBodySchema)) body: z.infer<typeof retentionBodySchema>) {
    await this.repo.setPersonalRetention(body.personalDataDays);
    return { personalDataDays: await this.repo.personalRetentionDays() };
  }
}
