import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { assertSiteAccess, CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { ZodBody } from '@cw/common';
import { ChurnService } from './churn.service';
import { ChurnRiskQuery, churnRiskQuerySchema } from './dto/churn-risk.query';

@ApiTags('churn')
@ApiBearerAuth()
@Controller('v1/sites/:site/churn-risk')
export class ChurnController {
  constructor(private readonly churn: ChurnService) {}

  /**
   * Members at risk of leaving, highest score first, each with every factor and its contribution; members too new to
   * judge are listed apart with the reason. A day not yet scored is scored on the spot.
   */
  @Get()
  @Roles('admin', 'manager')
  @ApiQuery({ name: 'min', required: false, description: 'lowest score listed, 0-100 (default 0)' })
  @ApiQuery({ name: 'limit', required: false, description: 'at most this many members, 1-1000 (default 50)' })
  @ApiQuery({ name: 'on', required: false, description: 'site-local day YYYY-MM-DD (default today)' })
  list(
    @Param('site') site: string,
    @Query(new ZodBody(churnRiskQuerySchema)) query: ChurnRiskQuery,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertSiteAccess(principal, site);
    return this.churn.atRisk(site, { day: query.on, min: query.min, limit: query.limit });
  }
}
