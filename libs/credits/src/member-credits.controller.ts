import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { assertMemberAccess, assertSiteAccess, CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { Clock, ZodBody } from '@cw/common';
import { z } from 'zod';
import { CreditsService } from './credits.service';
import { creditsQuerySchema, creditsView, sellPassSchema, voucherView } from './dto/credits.dto';
import { PassesService } from './passes.service';

/** A member's plan credits per period, and passes sold to them. */
@ApiTags('credits')
@ApiBearerAuth()
@Controller('v1/sites/:site/members/:member')
export class MemberCreditsController {
  constructor(
    private readonly credits: CreditsService,
    private readonly passes: PassesService,
    private readonly clock: Clock,
  ) {}

  /** `?period=YYYY-MM` (a calendar month in the site's zone); the current one by default. */
  @Get('credits')
  @Roles('admin', 'manager', 'member')
  @ApiOperation({
    summary: "A member's plan credits in a period: granted, spent, refunded, balance, entries",
  })
  async balance(
    @Param('site') site: string,
    @Param('member') member: string,
    @Query(new ZodBody(creditsQuerySchema)) query: z.infer<typeof creditsQuerySchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertMemberAccess(principal, site, member);
    return creditsView(await this.credits.balance(site, member, query.period));
  }

  /** Sells a day pass or hour pack plan: the member's pass, and a one-off charge on their next invoice. */
  @Post('passes')
  @Roles('admin', 'manager')
  @ApiOperation({
    summary: 'Sell a day pass or hour pack plan to a member (the pass and its one-off charge)',
  })
  @ApiBody({ schema: { type: 'object', example: { plan: 'day-pass-5' } } })
  async sell(
    @Param('site') site: string,
    @Param('member') member: string,
    @Body(new ZodBody(sellPassSchema)) body: z.infer<typeof sellPassSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertSiteAccess(principal, site);
    const { voucher, chargeId } = await this.passes.sell(site, member, body.plan);
    return { ...voucherView(voucher, this.clock.now()), charge: chargeId };
  }
}
