import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  ApiKeysService,
  assertSiteAccess,
  bearerToken,
  CurrentPrincipal,
  Principal,
  Public,
  Roles,
  Role,
} from '@cw/auth';
import { DomainError, ErrorCode, forbidden } from '@cw/common';
import { setPageHeaders } from '@cw/dashboards';
import { reportPage, reportShell } from './render/html';
import { ReportsService } from './reports.service';

const READERS: Role[] = ['admin', 'manager'];

const links = (site: string, month: string) => {
  const base = `/v1/sites/${encodeURIComponent(site)}/reports/${month}`;
  return { json: base, pdf: `${base}.pdf`, html: `${base}.html` };
};

/**
 * Monthly board reports: generated on the 1st by a job and on demand here; read as JSON (figures and chart specs),
 * a PDF, or a page with interactive charts.
 */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('v1/sites/:site/reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly keys: ApiKeysService,
  ) {}

  @Get()
  @Roles(...READERS)
  async list(@Param('site') site: string, @CurrentPrincipal() principal: Principal) {
    assertSiteAccess(principal, site);
    return (await this.reports.list(site)).map((r) => ({ ...r, links: links(site, r.month) }));
  }

  /** Generates the month's report now (replacing a stored one). A month that has not started is refused. */
  @Post(':month')
  @HttpCode(201)
  @Roles(...READERS)
  async generate(
    @Param('site') site: string,
    @Param('month') month: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertSiteAccess(principal, site);
    const { data: _data, ...summary } = await this.reports.generateReport(site, month);
    return { ...summary, links: links(site, month) };
  }

  @Get(':month.pdf')
  @Roles(...READERS)
  @ApiProduces('application/pdf')
  async pdf(
    @Param('site') site: string,
    @Param('month') month: string,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ): Promise<void> {
    assertSiteAccess(principal, site);
    const pdf = await this.reports.pdf(site, month);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="board-report-${site}-${month}.pdf"`);
    res.setHeader('Cache-Control', 'private, no-cache');
    res.send(pdf);
  }

  /**
   * The report page. With `Authorization: Bearer <key>` it holds the report; a browser following a link sends no
   * header, so without one the answer is a page without data whose script asks for the key (from the URL
   * fragment `#key=`, or this browser's storage, as the floor map does) and loads the report with it.
   */
  @Get(':month.html')
  @Public()
  @ApiProduces('text/html')
  async html(
    @Param('site') site: string,
    @Param('month') month: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    setPageHeaders(res);
    res.setHeader('Vary', 'Authorization');
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    if (req.headers.authorization === undefined) {
      res.send(reportShell(site, month));
      return;
    }
    const principal = await this.keys.verify(bearerToken(req.headers.authorization));
    if (!principal) throw new DomainError(ErrorCode.Unauthenticated, 'a valid API key is required');
    if (!READERS.includes(principal.role))
      throw forbidden(`this route needs one of the roles: ${READERS.join(', ')}`);
    assertSiteAccess(principal, site);
    const stored = await this.reports.get(site, month);
    // This answer holds the report: no shared cache may keep it.
    res.setHeader('Cache-Control', 'private, no-cache');
    res.send(reportPage(stored.data, this.reports.charts(stored.data)));
  }

  @Get(':month')
  @Roles(...READERS)
  @ApiOkResponse({
    description: 'the stored report: figures, notes on missing ones, and the Vega-Lite chart specs',
  })
  async get(
    @Param('site') site: string,
    @Param('month') month: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertSiteAccess(principal, site);
    const stored = await this.reports.get(site, month);
    return { ...stored, charts: this.reports.charts(stored.data), links: links(site, month) };
  }
}
