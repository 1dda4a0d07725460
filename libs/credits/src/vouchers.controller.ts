import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
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
  @ApiOperation({
    summary: 'Issue one voucher or a batch of codes',
    description:
      '`value` is minor units (money), days (day_pass) or minutes (hour_pack). `count` up to 1000 random codes after ' +
      '`prefix`, or one `code` of your choosing. Money vouchers create no charge.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      example: {
        kind: 'money',
        value: 2500,
        expiresAt: '2026-12-31T23:59:59+01:00',
        count: 50,
        prefix: 'XMAS-',
      },
    },
  })
  @ApiResponse({ status: 201, description: '`{codes, vouchers}`' })
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
  @ApiOperation({ summary: 'A voucher with its balance and every spend (bookings, days of access, refunds)' })
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
  @ApiOperation({ summary: 'Bind a code to a member (a member key redeems for itself)' })
  @ApiBody({ schema: { type: 'object', example: { member: 'm-17' } } })
  @ApiResponse({ status: 409, description: 'already redeemed, or expired (the message says which)' })
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
