import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { assertMemberAccess, assertSiteAccess, CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { ZodBody } from '@cw/common';
import { actorOf } from './actor';
import { ContractsService } from './contracts.service';
import { DirectoryService } from './directory.service';
import { ContractView, toContractView } from './dto/contract.dto';
import {
  listMembersSchema,
  MemberBody,
  memberBodySchema,
  MemberView,
  toMemberView,
} from './dto/directory.dto';
import { ID, SITE, assertSameId } from './dto/fields';
import { OffboardingService } from './offboarding.service';
import { PrivacyService } from './privacy.service';
import { SiteCalendar } from './site-calendar';

@ApiTags('membership')
@ApiBearerAuth()
@Controller('v1/sites/:site/members')
@Roles('admin', 'manager')
export class MembersController {
  constructor(
    private readonly directory: DirectoryService,
    private readonly contracts: ContractsService,
    private readonly offboarding: OffboardingService,
    private readonly privacy: PrivacyService,
    private readonly calendar: SiteCalendar,
  ) {}

  @Get()
  @ApiOperation({ summary: "The site's members, optionally of one company or status" })
  async list(
    @Param('site', SITE) site: string,
    @Query(new ZodBody(listMembersSchema)) query: z.infer<typeof listMembersSchema>,
    @CurrentPrincipal() caller: Principal,
  ): Promise<MemberView[]> {
    assertSiteAccess(caller, site);
    return (await this.directory.listMembers(site, { companyId: query.company, status: query.status })).map(
      toMemberView,
    );
  }

  @Get(':id')
  @Roles('admin', 'manager', 'member')
  @ApiOperation({ summary: 'A member (a member key reads only itself)' })
  async get(
    @Param('site', SITE) site: string,
    @Param('id', ID) id: string,
    @CurrentPrincipal() caller: Principal,
  ): Promise<MemberView> {
    assertMemberAccess(caller, site, id);
    return toMemberView(await this.directory.getMember(site, id));
  }

  @Put(':id')
  @ApiOperation({ summary: 'Create or replace a member (idempotent)' })
  @ApiBody({
    schema: {
      type: 'object',
      example: {
        name: 'Ana García',
        email: 'ana@acme.example',
        phone: '+34 600 000 000',
        company: 'acme',
        team: 'Design',
      },
    },
  })
  @ApiResponse({ status: 201, description: 'created' })
  @ApiResponse({ status: 200, description: 'replaced' })
  @ApiResponse({ status: 409, description: 'the email belongs to another member, or the member was erased' })
  async put(
    @Param('site', SITE) site: string,
    @Param('id', ID) id: string,
    @Body(new ZodBody(memberBodySchema)) body: MemberBody,
    @CurrentPrincipal() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MemberView> {
    assertSiteAccess(caller, site);
    assertSameId(id, body.id);
    const { created, value } = await this.directory.putMember(site, id, body);
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return toMemberView(value);
  }

  @Get(':id/contracts')
  @Roles('admin', 'manager', 'member')
  @ApiOperation({ summary: "A member's contracts, oldest first (a member key reads only its own)" })
  async contractsOf(
    @Param('site', SITE) site: string,
    @Param('id', ID) id: string,
    @CurrentPrincipal() caller: Principal,
  ): Promise<ContractView[]> {
    assertMemberAccess(caller, site, id);
    const { today } = await this.calendar.day(site);
    return (await this.contracts.listForMember(site, id)).map((c) => toContractView(c, today));
  }

  @Post(':id/offboard')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Offboard a member now',
    description:
      'Running contracts end today (upcoming ones are voided), every credential is revoked, every held resource ' +
      'released. Repeating it changes nothing.',
  })
  async offboard(
    @Param('site', SITE) site: string,
    @Param('id', ID) id: string,
    @CurrentPrincipal() caller: Principal,
  ) {
    assertSiteAccess(caller, site);
    const result = await this.offboarding.offboard(site, id, actorOf(caller));
    return {
      member: toMemberView(result.member),
      contractsEnded: result.contractsEnded,
      credentialsRevoked: result.credentialsRevoked,
      assignmentsReleased: result.assignmentsReleased,
    };
  }

  @Get(':id/export')
  @Roles('admin', 'manager', 'member')
  @ApiOperation({
    summary: 'GDPR export: everything held about the member, as one JSON document',
    description:
      'Member, company, contracts, assignments, credentials, bookings and their charges, credit ledger, vouchers and ' +
      'their spends, one-off charges, invoices with lines, payments with allocations, door events, API keys, audit ' +
      'log. A member key may export itself.',
  })
  async export(
    @Param('site', SITE) site: string,
    @Param('id', ID) id: string,
    @CurrentPrincipal() caller: Principal,
  ): Promise<Record<string, unknown>> {
    assertMemberAccess(caller, site, id);
    return this.privacy.export(site, id, actorOf(caller));
  }

  @Post(':id/erase')
  @HttpCode(200)
  @ApiOperation({
    summary: 'GDPR erasure',
    description:
      'Offboards the member if needed, replaces the name by a pseudonym and clears contact fields, revokes and ' +
      'pseudonymises credentials and the door events they produced, revokes the member keys. Invoices stay as ' +
      'issued (tax law); contracts stay under the member id.',
  })
  async erase(
    @Param('site', SITE) site: string,
    @Param('id', ID) id: string,
    @CurrentPrincipal() caller: Principal,
  ) {
    assertSiteAccess(caller, site);
    const result = await this.privacy.erase(site, id, actorOf(caller));
    return {
      member: toMemberView(result.member),
      alreadyErased: result.alreadyErased,
      credentialsPseudonymised: result.credentialsPseudonymised,
      doorEventsPseudonymised: result.doorEventsPseudonymised,
      kpiEntriesPseudonymised: result.kpiEntriesPseudonymised,
      apiKeysRevoked: result.apiKeysRevoked,
    };
  }
}
