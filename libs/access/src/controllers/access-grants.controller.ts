import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { assertSiteAccess, CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { Clock, ZodBody } from '@cw/common';
import { AccessGrant } from '../access.types';
import { GrantsQuery, grantsQuerySchema } from '../dto/access.dto';
import { SITE } from '../dto/path-params';
import { GrantsService, MAX_EXPORT_DAYS } from '../grants/grants.service';

const DAY_MS = 86_400_000;

@ApiTags('access')
@ApiBearerAuth()
@Controller('v1/sites/:site/access-grants')
export class AccessGrantsController {
  constructor(
    private readonly grants: GrantsService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('admin', 'manager', 'integration', 'device')
  @ApiOperation({
    summary: 'Every time-bounded grant between from and to (default: now and a day later)',
    description: `[{credential, member, doors, from, to, source: contract|booking|day_pass}], UTC; at most ${MAX_EXPORT_DAYS} days.`,
  })
  @ApiQuery({ name: 'from', required: false, example: '2026-03-02T00:00:00Z' })
  @ApiQuery({ name: 'to', required: false, example: '2026-03-03T00:00:00Z' })
  async list(
    @Param('site', SITE) site: string,
    @Query(new ZodBody(grantsQuerySchema)) query: GrantsQuery,
    @CurrentPrincipal() caller: Principal,
  ): Promise<AccessGrant[]> {
    assertSiteAccess(caller, site);
    const from = query.from ? new Date(query.from) : this.clock.now();
    const to = query.to ? new Date(query.to) : new Date(from.getTime() + DAY_MS);
    return this.grants.grants(site, from, to);
  }
}
