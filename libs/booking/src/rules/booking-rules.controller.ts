import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { assertSiteAccess, CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { invalid, notFound, ZodBody } from '@cw/common';
import { RESOURCE_KINDS } from '@cw/sites';
import { z } from 'zod';
import { BOOKING_WHO, DEFAULT_RULE } from './booking-rules';
import { BookingRulesRepository } from './booking-rules.repository';

const ruleSchema = z
  .object({
    who: z.enum(BOOKING_WHO).default(DEFAULT_RULE.who),
    minLeadMinutes: z.number().int().min(0).max(525_600).default(DEFAULT_RULE.minLeadMinutes),
    maxAdvanceDays: z.number().int().min(1).max(3650).default(DEFAULT_RULE.maxAdvanceDays),
    maxLengthMinutes: z.number().int().min(1).max(525_600).default(DEFAULT_RULE.maxLengthMinutes),
    withinOpeningHours: z.boolean().default(DEFAULT_RULE.withinOpeningHours),
    freeCancelMinutes: z.number().int().min(0).max(525_600).default(DEFAULT_RULE.freeCancelMinutes),
  })
  .strict();

const KINDS = ['*', ...RESOURCE_KINDS] as const;

/**
 * Who may book a kind of resource and when (`*` is the site default), for bookings made for members and guests.
 * `source` in the answer says whether the rule is the kind's own, the site default, or the built-in default.
 */
@ApiTags('bookings')
@ApiBearerAuth()
@Controller('v1/sites/:site/booking-rules')
export class BookingRulesController {
  constructor(private readonly rules: BookingRulesRepository) {}

  @Get(':kind')
  @Roles('admin', 'manager', 'integration', 'member')
  async get(
    @Param('site') site: string,
    @Param('kind') kind: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.checked(principal, site, kind);
    const { rule, source } = await this.rules.ruleFor(site, kind);
    const { resourceKind: _, ...fields } = rule;
    return { site, kind, source, ...fields };
  }

  @Put(':kind')
  @Roles('admin', 'manager')
  @ApiBody({
    schema: {
      type: 'object',
      example: {
        who: 'members',
        minLeadMinutes: 30,
        maxAdvanceDays: 60,
        maxLengthMinutes: 240,
        withinOpeningHours: true,
        freeCancelMinutes: 120,
      },
    },
  })
  async put(
    @Param('site') site: string,
    @Param('kind') kind: string,
    @Body(new ZodBody(ruleSchema)) body: z.infer<typeof ruleSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.checked(principal, site, kind);
    const { resourceKind: _, ...fields } = await this.rules.put(site, { resourceKind: kind, ...body });
    return { site, kind, source: kind === '*' ? 'site' : 'kind', ...fields };
  }

  private async checked(principal: Principal, site: string, kind: string): Promise<void> {
    assertSiteAccess(principal, site);
    if (!(KINDS as readonly string[]).includes(kind))
      throw invalid('unknown resource kind', [
        { path: 'params.kind', message: `one of ${KINDS.join(', ')}` },
      ]);
    if (!(await this.rules.siteExists(site))) throw notFound(`site ${site}`);
  }
}
