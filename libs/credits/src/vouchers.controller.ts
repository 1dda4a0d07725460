import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { assertMemberAccess, assertSiteAccess, CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { Clock, invalid, notFound, ZodBody } from '@cw/common';
import { z } from 'zod';
import {
  issueVouchersSchema,
  listVouchersSchema,
  redeemSchema,
  spendView,
  voucherView,
} from './dto/credits.dto';
import { VouchersService } from './vouchers.service';

/**
 * Vouchers (money off), day passes and hour packs as codes: issued one at a time or in batches, redeemed by a
 * member, read with their balance and the bookings and days that spent them. A member key sees only its own.
 */
@ApiTags('vouchers')
@ApiBearerAuth()
@Controller('v1/sites/:site/vouchers')
export class VouchersController {
  constructor(
    private readonly vouchers: VouchersService,
    private readonly clock: Clock,
  ) {}

  @Post()
  @Roles('admin', 'manager')
  async issue(
    @Param('site') site: string,
    @Body(new ZodBody(issueVouchersSchema)) body: z.infer<typeof issueVouchersSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertSiteAccess(principal, site);
    const issued = await this.vouchers.issue(site, body);
    const now = this.clock.now();
    return { codes: issued.map((v) => v.code), vouchers: issued.map((v) => voucherView(v, now)) };
  }

  @Get()
  @Roles('admin', 'manager', 'member')
  async list(
    @Param('site') site: string,
    @Query(new ZodBody(listVouchersSchema)) query: z.infer<typeof listVouchersSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertSiteAccess(principal, site);
    const memberId = principal.role === 'member' ? principal.memberId! : query.member;
    if (memberId) assertMemberAccess(principal, site, memberId);
    const now = this.clock.now();
    return (await this.vouchers.list(site, { memberId, batchId: query.batch, kind: query.kind })).map((v) =>
      voucherView(v, now),
    );
  }

  @Get(':code')
  @Roles('admin', 'manager', 'member')
  async get(
    @Param('site') site: string,
    @Param('code') code: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertSiteAccess(principal, site);
    const { voucher, spends } = await this.vouchers.get(site, code);
    // A member asking for someone else's code learns nothing about it, not even that it exists.
    if (principal.role === 'member' && voucher.memberId !== principal.memberId)
      throw notFound(`voucher ${code}`);
    return { ...voucherView(voucher, this.clock.now()), spends: spends.map(spendView) };
  }

  /** 200 with the voucher bound to the member; 409 when already redeemed or expired (with the reason). */
  @Post(':code/redeem')
  @HttpCode(200)
  @Roles('admin', 'manager', 'member')
  async redeem(
    @Param('site') site: string,
    @Param('code') code: string,
    @Body(new ZodBody(redeemSchema)) body: z.infer<typeof redeemSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    const memberId = principal.role === 'member' ? (body.member ?? principal.memberId!) : body.member;
    if (!memberId) throw invalid('member is required', [{ path: 'member', message: 'required' }]);
    assertMemberAccess(principal, site, memberId);
    return voucherView(await this.vouchers.redeem(site, code, memberId), this.clock.now());
  }
}
