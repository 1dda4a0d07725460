import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { assertSiteAccess, CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { ZodBody } from '@cw/common';
import { AccessService } from '../access.service';
import { SettingsBody, settingsBodySchema } from '../dto/access.dto';
import { SITE } from '../dto/path-params';

@ApiTags('access')
@ApiBearerAuth()
@Controller('v1/sites/:site/access-settings')
export class AccessSettingsController {
  constructor(private readonly access: AccessService) {}

  @Get()
  @Roles('admin', 'manager', 'integration')
  async get(@Param('site', SITE) site: string, @CurrentPrincipal() caller: Principal) {
    assertSiteAccess(caller, site);
    return { site, ...(await this.access.getSettings(site)) };
  }

  @Put()
  @Roles('admin', 'manager')
  @ApiOperation({
    summary:
      'How long before its start and after its end a booking opens the doors serving it (default 15 min)',
  })
  async put(
    @Param('site', SITE) site: string,
    @Body(new ZodBody(settingsBodySchema)) body: SettingsBody,
    @CurrentPrincipal() caller: Principal,
  ) {
    assertSiteAccess(caller, site);
    return { site, ...(await this.access.putSettings(site, body)) };
  }
}
