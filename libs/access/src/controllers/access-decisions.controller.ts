import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { assertSiteAccess, CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { invalid, ZodBody } from '@cw/common';
import { AccessDecider, AccessDecision } from '../access.decider';
import { DecideBody, decideBodySchema } from '../dto/access.dto';
import { DENY_REASONS, GRANT_REASONS } from '../rules/access-rules';

@ApiTags('access')
@ApiBearerAuth()
@Controller('v1/access')
export class AccessDecisionsController {
  constructor(private readonly decider: AccessDecider) {}

  @Post('decide')
  @HttpCode(HttpStatus.OK)
  @Roles('admin', 'manager', 'integration', 'device')
  @ApiOperation({
    summary: 'May this credential open this door now (or at `at`)? Every answer is stored as a door event',
    description:
      `The site is the key's own, or \`site\` in the body for keys spanning every site. Reasons: grant ` +
      `${GRANT_REASONS.join(', ')}; deny ${DENY_REASONS.join(', ')}.`,
  })
  @ApiBody({
    schema: {
      type: 'object',
      example: {
        site: 'hq',
        credential: '04A2B3C4D5E6F7',
        door: 'door-main',
        at: '2026-03-02T08:30:00+01:00',
      },
    },
  })
  @ApiResponse({
    status: 200,
    description: '{decision: grant|deny, reason, message, site, door, at, member?, until?}',
  })
  async decide(
    @Body(new ZodBody(decideBodySchema)) body: DecideBody,
    @CurrentPrincipal() caller: Principal,
  ): Promise<AccessDecision> {
    const siteId = body.site ?? caller.siteId;
    if (!siteId)
      throw invalid('which site?', [{ path: 'site', message: 'required for keys spanning every site' }]);
    assertSiteAccess(caller, siteId);
    return this.decider.decide(
      { siteId, credential: body.credential, door: body.door, at: body.at ? new Date(body.at) : undefined },
      caller,
    );
  }
}
