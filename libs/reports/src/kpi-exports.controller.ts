import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { assertSiteAccess, CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { ZodBody } from '@cw/common';
import { ARROW_FILE_MEDIA_TYPE, kpiTableArrow } from './export/arrow';
import { kpiTableCsv } from './export/csv';
import { kpiTableRows } from './export/kpi-table';
import { ReportDataSource } from './report-data.source';

const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  .refine((d) => new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d, 'not a calendar date');

/** The KPI API's own parameters, so a BI tool asks for the same period it would read as JSON. */
const exportQuerySchema = z
  .object({ period: z.enum(['day', 'week', 'month', 'year']), date: localDate })
  .strict();
type ExportQuery = z.infer<typeof exportQuerySchema>;

/** The per-resource KPI table for BI tools: the same figures as `GET /v1/sites/{site}/kpis`, one row per resource. */
@ApiTags('kpis')
@ApiBearerAuth()
@Controller('v1/sites/:site')
export class KpiExportsController {
  constructor(private readonly source: ReportDataSource) {}

  @Get('kpis.arrow')
  @Roles('admin', 'manager')
  @ApiProduces(ARROW_FILE_MEDIA_TYPE)
  @ApiQuery({ name: 'period', enum: ['day', 'week', 'month', 'year'] })
  @ApiQuery({ name: 'date', description: 'a site-local day in the period, YYYY-MM-DD' })
  async arrow(
    @Param('site') site: string,
    @Query(new ZodBody(exportQuerySchema)) query: ExportQuery,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ): Promise<void> {
    assertSiteAccess(principal, site);
    const rows = kpiTableRows(await this.source.kpis(site, query.period, query.date));
    this.download(res, ARROW_FILE_MEDIA_TYPE, `kpis-${site}-${query.period}-${query.date}.arrow`);
    res.send(kpiTableArrow(rows));
  }

  @Get('kpis.csv')
  @Roles('admin', 'manager')
  @ApiProduces('text/csv')
  @ApiQuery({ name: 'period', enum: ['day', 'week', 'month', 'year'] })
  @ApiQuery({ name: 'date', description: 'a site-local day in the period, YYYY-MM-DD' })
  async csv(
    @Param('site') site: string,
    @Query(new ZodBody(exportQuerySchema)) query: ExportQuery,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ): Promise<void> {
    assertSiteAccess(principal, site);
    const rows = kpiTableRows(await this.source.kpis(site, query.period, query.date));
    this.download(
      res,
      'text/csv; charset=utf-8; header=present',
      `kpis-${site}-${query.period}-${query.date}.csv`,
    );
    res.send(kpiTableCsv(rows));
  }

  private download(res: Response, type: string, filename: string): void {
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    res.setHeader('Cache-Control', 'private, no-cache');
  }
}
