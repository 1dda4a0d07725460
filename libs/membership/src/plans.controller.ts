import { Body, Controller, Get, HttpStatus, Param, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { assertSiteAccess, CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { ZodBody } from '@cw/common';
import { ID, SITE, assertSameId } from './dto/fields';
import { PlanBody, planBodySchema, PlanView, toPlanView } from './dto/plan.dto';
import { PlansService } from './plans.service';

@ApiTags('membership')
@ApiBearerAuth()
@Controller('v1/sites/:site/plans')
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  @Get()
  @Roles('admin', 'manager', 'integration', 'member')
  @ApiOperation({ summary: "The site's plans (what is on offer is no secret, so members may read them)" })
  async list(@Param('site', SITE) site: string, @CurrentPrincipal() caller: Principal): Promise<PlanView[]> {
    assertSiteAccess(caller, site);
    return (await this.plans.list(site)).map(toPlanView);
  }

  @Get(':id')
  @Roles('admin', 'manager', 'integration', 'member')
  async get(
    @Param('site', SITE) site: string,
    @Param('id', ID) id: string,
    @CurrentPrincipal() caller: Principal,
  ): Promise<PlanView> {
    assertSiteAccess(caller, site);
    return toPlanView(await this.plans.get(site, id));
  }

  @Put(':id')
  @Roles('admin', 'manager')
  @ApiOperation({
    summary: 'Create or replace a plan (idempotent)',
    description:
      'Kinds flex_desk, fixed_desk, private_office, virtual_office (period month, signed as contracts) and day_pass, ' +
      'hour_pack (period once, sold as passes: passDays or passMinutes, passValidDays). Prices in minor units of the ' +
      "site's currency. A new price applies to contracts signed afterwards.",
  })
  @ApiBody({
    schema: {
      type: 'object',
      example: {
        name: 'Flex desk',
        kind: 'flex_desk',
        priceMinor: 19000,
        includedCreditsMinor: 5000,
        accessZones: ['main'],
        accessHours: [{ day: 'mon', open: '08:00', close: '20:00' }],
        bookableKinds: ['meeting_room', 'phone_booth'],
        bookingDiscountPct: 10,
      },
    },
  })
  @ApiResponse({ status: 201, description: 'created' })
  @ApiResponse({ status: 200, description: 'replaced' })
  @ApiResponse({
    status: 400,
    description: 'invalid body (a negative price, say); `errors[].path` names the field',
  })
  async put(
    @Param('site', SITE) site: string,
    @Param('id', ID) id: string,
    @Body(new ZodBody(planBodySchema)) body: PlanBody,
    @CurrentPrincipal() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PlanView> {
    assertSiteAccess(caller, site);
    assertSameId(id, body.id);
    const { created, value } = await this.plans.put(site, id, body);
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return toPlanView(value);
  }
}
