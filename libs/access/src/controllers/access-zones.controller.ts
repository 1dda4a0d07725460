import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { assertSiteAccess, CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { ZodBody } from '@cw/common';
import { AccessService } from '../access.service';
import { ZoneBody, zoneBodySchema } from '../dto/access.dto';
import { SITE, ZONE } from '../dto/path-params';
import { zoneView } from '../dto/views';

@ApiTags('access')
@ApiBearerAuth()
@Controller('v1/sites/:site/access-zones')
export class AccessZonesController {
  constructor(private readonly access: AccessService) {}

  @Get()
  @Roles('admin', 'manager', 'integration', 'device')
  @ApiOperation({ summary: 'Access zones of the site' })
  async list(@Param('site', SITE) site: string, @CurrentPrincipal() caller: Principal) {
    assertSiteAccess(caller, site);
    return (await this.access.listZones(site)).map((zone) => zoneView(site, zone));
  }

  @Get(':zone')
  @Roles('admin', 'manager', 'integration', 'device')
  async get(
    @Param('site', SITE) site: string,
    @Param('zone', ZONE) zone: string,
    @CurrentPrincipal() caller: Principal,
  ) {
    assertSiteAccess(caller, site);
    return zoneView(site, await this.access.getZone(site, zone));
  }

  @Put(':zone')
  @Roles('admin', 'manager')
  @ApiOperation({
    summary: 'Create or replace a zone: a named set of door devices of the site (201 when new)',
  })
  @ApiBody({
    schema: { type: 'object', example: { name: 'Members area', doors: ['door-main', 'door-lounge'] } },
  })
  async put(
    @Param('site', SITE) site: string,
    @Param('zone', ZONE) zone: string,
    @Body(new ZodBody(zoneBodySchema)) body: ZoneBody,
    @CurrentPrincipal() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    assertSiteAccess(caller, site);
    const { created, zone: written } = await this.access.putZone(site, zone, body);
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return zoneView(site, written);
  }

  @Delete(':zone')
  @Roles('admin', 'manager')
  @HttpCode(HttpStatus.NO_CONTENT)
  async remove(
    @Param('site', SITE) site: string,
    @Param('zone', ZONE) zone: string,
    @CurrentPrincipal() caller: Principal,
  ): Promise<void> {
    assertSiteAccess(caller, site);
    await this.access.deleteZone(site, zone);
  }
}
