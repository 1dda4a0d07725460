import { Body, Controller, Get, HttpStatus, Param, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ZodBody } from '@cw/common';
import { assertSiteAccess, CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { SiteDocument, siteDocumentSchema } from './dto/site-document.schema';
import { SiteDocumentDto, SiteSummaryDto, toSiteDocumentDto, toSiteSummaryDto } from './dto/site.dto';
import { SITE_PARAM } from './dto/path-param.pipe';
import { SitesService } from './sites.service';

const EXAMPLE = {
  name: 'Madrid Centro',
  timeZone: 'Europe/Madrid',
  currency: 'EUR',
  taxRateBp: 2100,
  openingHours: [{ day: 'mon', open: '08:00', close: '20:00' }],
  floors: [
    {
      id: 'f1',
      name: 'Ground floor',
      level: 0,
      plan: { width: 40, height: 20 },
      resources: [
        {
          id: 'room-a',
          name: 'Room A',
          kind: 'meeting_room',
          capacity: 6,
          polygon: [
            [0, 0],
            [5, 0],
            [5, 4],
            [0, 4],
          ],
        },
      ],
    },
  ],
  devices: [{ id: 'door-a', type: 'door', name: 'Door of room A', resources: ['room-a'] }],
};

@ApiTags('sites')
@ApiBearerAuth()
@Controller('v1/sites')
export class SitesController {
  constructor(private readonly sites: SitesService) {}

  @Get()
  @ApiOperation({ summary: 'Sites this key may act on (every site for admin keys)' })
  async list(@CurrentPrincipal() caller: Principal): Promise<SiteSummaryDto[]> {
    return (await this.sites.listSites(caller.siteId)).map(toSiteSummaryDto);
  }

  @Get(':site')
  @ApiOperation({ summary: 'The whole site as the document PUT takes' })
  @ApiParam({ name: 'site', example: 'madrid-centro' })
  @ApiResponse({ status: 404, description: 'no such site' })
  async get(
    @Param('site', SITE_PARAM) site: string,
    @CurrentPrincipal() caller: Principal,
  ): Promise<SiteDocumentDto> {
    assertSiteAccess(caller, site);
    return toSiteDocumentDto(await this.sites.getSite(site));
  }

  @Put(':site')
  @Roles('admin', 'manager')
  @ApiOperation({
    summary: 'Create or replace a whole site (idempotent)',
    description:
      'Floors, resources and devices missing from the document are deleted. Admin, or the manager of the site.',
  })
  @ApiParam({ name: 'site', example: 'madrid-centro' })
  @ApiBody({ description: 'The site document', schema: { type: 'object', example: EXAMPLE } })
  @ApiResponse({ status: 201, description: 'created; body is the stored document' })
  @ApiResponse({ status: 200, description: 'replaced; body is the stored document' })
  @ApiResponse({ status: 400, description: 'invalid document; `errors[].path` names each bad field' })
  async put(
    @Param('site', SITE_PARAM) site: string,
    @Body(new ZodBody(siteDocumentSchema)) doc: SiteDocument,
    @CurrentPrincipal() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SiteDocumentDto> {
    assertSiteAccess(caller, site);
    const { created, value } = await this.sites.putSite(site, doc);
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return toSiteDocumentDto(value);
  }
}
