import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { assertSiteAccess, CurrentPrincipal, Principal } from '@cw/auth';
import { OccupancySnapshot } from '@cw/events';
import { SitesService } from '@cw/sites';
import { OccupancyEngine } from './occupancy.engine';

@ApiTags('occupancy')
@ApiBearerAuth()
@Controller('v1/sites/:site/occupancy')
export class OccupancyController {
  constructor(
    private readonly engine: OccupancyEngine,
    private readonly sites: SitesService,
  ) {}

  /** The current state of every resource of the site. */
  @Get()
  async current(
    @Param('site') site: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<OccupancySnapshot> {
    assertSiteAccess(principal, site);
    await this.sites.getSite(site);
    return this.engine.snapshot(site);
  }
}
