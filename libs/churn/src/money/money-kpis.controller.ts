import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { assertSiteAccess, CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { ZodBody } from '@cw/common';
import { z } from 'zod';
import { isLocalDate } from '../model/local-days';
import { MoneyKpisService } from './money-kpis.service';
import { PERIOD_KINDS } from './money-periods';

const moneyKpisQuerySchema = z
  .object({
    period: z.enum(PERIOD_KINDS).default('month'),
    /** Any local day inside the period. */
    date: z.string().refine(isLocalDate, 'a date YYYY-MM-DD'),
  })
  .strict();

@ApiTags('kpis')
@ApiBearerAuth()
@Controller('v1/sites/:site/money-kpis')
export class MoneyKpisController {
  constructor(private readonly money: MoneyKpisService) {}

  /** MRR, revenue by stream, member churn rate, membership occupancy and overdue invoices (docs/kpis-money.md). */
  @Get()
  @Roles('admin', 'manager')
  @ApiQuery({ name: 'period', required: false, enum: PERIOD_KINDS, description: 'default month' })
  @ApiQuery({ name: 'date', required: true, description: 'a site-local day inside the period, YYYY-MM-DD' })
  get(
    @Param('site') site: string,
    @Query(new ZodBody(moneyKpisQuerySchema)) query: z.infer<typeof moneyKpisQuerySchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertSiteAccess(principal, site);
    return this.money.forPeriod(site, query.period, query.date);
  }
}
