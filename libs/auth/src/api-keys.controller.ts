import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DomainError, ErrorCode, notFound, ZodBody } from '@cw/common';
import { ApiKeysService } from './api-keys.service';
import { CurrentPrincipal, Roles } from './auth.decorators';
import { CreateKeyDto, createKeySchema } from './dto/create-key.dto';
import { Principal } from './principal';

@ApiTags('api keys')
@ApiBearerAuth()
@Controller('v1/keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  /** Admins mint any key; a site's manager mints integration and device keys for that site only. */
  @Post()
  @Roles('admin', 'manager')
  async create(
    @Body(new ZodBody(createKeySchema)) body: CreateKeyDto,
    @CurrentPrincipal() caller: Principal,
  ) {
    if (caller.role === 'manager') {
      const allowed =
        (body.role === 'integration' || body.role === 'device' || body.role === 'member') &&
        caller.siteId !== null &&
        body.site === caller.siteId;
      if (!allowed)
        throw new DomainError(
          ErrorCode.Forbidden,
          'managers create integration, device or member keys for their own site',
        );
    }
    const key = await this.keys.create({
      id: body.id,
      name: body.name,
      role: body.role,
      siteId: body.site ?? null,
      memberId: body.member ?? null,
    });
    return {
      id: key.id,
      token: key.token,
      role: body.role,
      site: body.site ?? null,
      member: body.member ?? null,
    };
  }

  @Get()
  @Roles('admin', 'manager')
  async list(@CurrentPrincipal() caller: Principal) {
    const rows = await this.keys.list(caller.siteId);
    return rows.map((k) => ({
      id: k.id,
      name: k.name,
      role: k.role,
      site: k.site_id,
      member: k.member_id,
      createdAt: k.created_at,
      revokedAt: k.revoked_at,
    }));
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('admin')
  async revoke(@Param('id') id: string): Promise<void> {
    if (!(await this.keys.revoke(id))) throw notFound(`active key ${id}`);
  }
}
