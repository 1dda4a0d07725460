import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { assertMemberAccess, assertSiteAccess, CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { ZodBody } from '@cw/common';
import { AccessService } from '../access.service';
import { CredentialBody, credentialBodySchema, RevokeBody, revokeBodySchema } from '../dto/access.dto';
import { CREDENTIAL, MEMBER, SITE } from '../dto/path-params';
import { credentialView } from '../dto/views';

/** Cards, mobile keys and PINs of a member. A member's own key may list them; only staff issue and revoke. */
@ApiTags('access')
@ApiBearerAuth()
@Controller('v1/sites/:site/members/:member/credentials')
export class CredentialsController {
  constructor(private readonly access: AccessService) {}

  @Get()
  @Roles('admin', 'manager', 'integration', 'member')
  @ApiOperation({ summary: "A member's credentials, revoked ones included" })
  async list(
    @Param('site', SITE) site: string,
    @Param('member', MEMBER) member: string,
    @CurrentPrincipal() caller: Principal,
  ) {
    assertMemberAccess(caller, site, member);
    return (await this.access.listCredentials(site, member)).map((c) => credentialView(site, c));
  }

  @Post()
  @Roles('admin', 'manager', 'integration')
  @ApiOperation({
    summary:
      'Issue a credential (201); 409 when the value is already active at the site or the member has left',
  })
  @ApiBody({ schema: { type: 'object', example: { kind: 'card', value: '04A2B3C4D5E6F7', id: 'card-17' } } })
  async issue(
    @Param('site', SITE) site: string,
    @Param('member', MEMBER) member: string,
    @Body(new ZodBody(credentialBodySchema)) body: CredentialBody,
    @CurrentPrincipal() caller: Principal,
  ) {
    assertSiteAccess(caller, site);
    return credentialView(site, await this.access.issueCredential(site, member, body));
  }

  @Delete(':credential')
  @Roles('admin', 'manager', 'integration')
  @ApiOperation({ summary: 'Revoke a credential, with an optional reason (default "revoked"); idempotent' })
  @ApiBody({ required: false, schema: { type: 'object', example: { reason: 'card lost' } } })
  async revoke(
    @Param('site', SITE) site: string,
    @Param('member', MEMBER) member: string,
    @Param('credential', CREDENTIAL) credential: string,
    @Body(new ZodBody(revokeBodySchema.optional())) body: RevokeBody | undefined,
    @CurrentPrincipal() caller: Principal,
  ) {
    assertSiteAccess(caller, site);
    const revoked = await this.access.revokeCredential(site, member, credential, body?.reason ?? 'revoked');
    return credentialView(site, revoked);
  }
}
