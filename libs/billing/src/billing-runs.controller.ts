import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { assertSiteAccess, CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { ZodBody } from '@cw/common';
import { BillingRunsRepository } from './billing-runs.repository';
import { BillingRunsService } from './billing-runs.service';
import { billingRunSchema } from './dto/billing.dto';
import { SITE } from './dto/path-param.pipe';
import { OverdueService } from './overdue.service';

@ApiTags('billing')
@ApiBearerAuth()
@Controller('v1/sites/:site')
@Roles('admin', 'manager')
export class BillingRunsController {
  constructor(
    private readonly billing: BillingRunsService,
    private readonly runs: BillingRunsRepository,
    private readonly overdue: OverdueService,
  ) {}

  @Post('billing-runs')
  @ApiOperation({
    summary: 'Bill a calendar month of the site',
    description:
      'One invoice per buyer (company or member) for what is left to bill in the month: membership fees (prorated ' +
      'for partial months), usage charges of bookings and one-off charges. Idempotent: running it again, or twice ' +
      'at once, issues nothing more.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['period'],
      properties: {
        period: { type: 'string', example: '2024-06' },
        dueDays: { type: 'integer', example: 14 },
      },
    },
  })
  async run(
    @Param('site', SITE) site: string,
    @Body(new ZodBody(billingRunSchema)) body: z.infer<typeof billingRunSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertSiteAccess(principal, site);
    const result = await this.billing.run(site, body.period, { dueDays: body.dueDays });
    return {
      id: result.runId,
      site: result.siteId,
      period: result.period,
      periodStart: result.periodStart,
      periodEnd: result.periodEnd,
      invoices: result.invoiceIds,
      alreadyBilled: result.alreadyBilled,
    };
  }

  @Get('billing-runs')
  async list(@Param('site', SITE) site: string, @CurrentPrincipal() principal: Principal) {
    assertSiteAccess(principal, site);
    return (await this.runs.runs(site)).map((r) => ({
      id: r.id,
      periodStart: r.periodStart,
      periodEnd: r.periodEnd,
      startedAt: r.startedAt.toISOString(),
      finishedAt: r.finishedAt?.toISOString() ?? null,
      invoices: r.invoices,
    }));
  }

  @Post('invoices/overdue-reminders')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Send the overdue reminders due today now',
    description:
      'What the daily job does: levels 1, 2, 3 at due date +1, +7, +14 days, each once per invoice.',
  })
  async sweep(@Param('site', SITE) site: string, @CurrentPrincipal() principal: Principal) {
    assertSiteAccess(principal, site);
    return { sent: await this.overdue.sweep(site) };
  }
}
