import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { assertSiteAccess, CurrentPrincipal, Principal } from '@cw/auth';
import { ZodBody } from '@cw/common';
import { z } from 'zod';
import { NoShowRepository } from './noshow.repository';

const rangeSchema = z
  .object({
    from: z
      .string()
      .datetime({ offset: true })
      .transform((v) => new Date(v)),
    to: z
      .string()
      .datetime({ offset: true })
      .transform((v) => new Date(v)),
  })
  .strict();

@ApiTags('bookings')
@ApiBearerAuth()
@Controller('v1/sites/:site/releases')
export class ReleasesController {
  constructor(private readonly repo: NoShowRepository) {}

  /** Releases recorded in [from, to): what booking systems reconcile against. */
  @Get()
  list(
    @Param('site') site: string,
    @Query(new ZodBody(rangeSchema)) range: z.infer<typeof rangeSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertSiteAccess(principal, site);
    return this.repo.listReleases(site, range.from, range.to);
  }
}
