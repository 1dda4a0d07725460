import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { assertMemberAccess, assertSiteAccess, CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { ZodBody } from '@cw/common';
import { actorOf } from './actor';
import { AssignmentsService } from './assignments.service';
import { ContractsService } from './contracts.service';
import {
  AssignBody,
  assignSchema,
  AssignmentView,
  cancelSchema,
  ChangePlanBody,
  changePlanSchema,
  ContractView,
  listContractsSchema,
  renewSchema,
  SignUpBody,
  signUpSchema,
  toAssignmentView,
  toContractView,
} from './dto/contract.dto';
import { ASSIGNMENT, ID, SITE } from './dto/fields';
import { SiteCalendar } from './site-calendar';

@ApiTags('membership')
@ApiBearerAuth()
@Controller('v1/sites/:site/contracts')
@Roles('admin', 'manager')
export class ContractsController {
  constructor(
    private readonly contracts: ContractsService,
    private readonly assignments: AssignmentsService,
    private readonly calendar: SiteCalendar,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Sign a member up to a plan',
    description:
      "The price is the plan's at signing. Dates are local dates of the site; `end` is exclusive, absent for an " +
      'open-ended contract renewing monthly. A member holds one contract at a time: an overlap answers 409.',
  })
  @ApiBody({
    schema: { type: 'object', example: { member: 'ana', plan: 'flex', start: '2026-04-01', noticeDays: 30 } },
  })
  @ApiResponse({ status: 201, description: 'signed' })
  @ApiResponse({ status: 200, description: 'the same contract id and details again: nothing new' })
  @ApiResponse({ status: 400, description: 'invalid body, unknown member, plan or company (errors[].path)' })
  @ApiResponse({ status: 409, description: 'the member already has a contract for part of that time' })
  async signUp(
    @Param('site', SITE) site: string,
    @Body(new ZodBody(signUpSchema)) body: SignUpBody,
    @CurrentPrincipal() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ContractView> {
    assertSiteAccess(caller, site);
    const { contract, created } = await this.contracts.signUp(site, body, actorOf(caller));
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return this.view(site, contract);
  }

  @Get()
  @ApiOperation({ summary: "The site's contracts, optionally of one member or status" })
  async list(
    @Param('site', SITE) site: string,
    @Query(new ZodBody(listContractsSchema)) query: z.infer<typeof listContractsSchema>,
    @CurrentPrincipal() caller: Principal,
  ): Promise<ContractView[]> {
    assertSiteAccess(caller, site);
    const { today } = await this.calendar.day(site);
    return (await this.contracts.list(site, { memberId: query.member, status: query.status })).map((c) =>
      toContractView(c, today),
    );
  }

  @Get(':id')
  @Roles('admin', 'manager', 'member')
  @ApiOperation({ summary: 'A contract (a member key reads only its own)' })
  async get(
    @Param('site', SITE) site: string,
    @Param('id', ID) id: string,
    @CurrentPrincipal() caller: Principal,
  ): Promise<ContractView> {
    const contract = await this.ownContract(caller, site, id);
    return this.view(site, contract);
  }

  @Post(':id/change-plan')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Change plan on a date',
    description:
      'Ends this contract at `on` (end_reason plan_change, replaced_by) and starts the next one there on the new ' +
      'plan, in one transaction. Held resources move along when the new plan is of the same kind, and are released ' +
      'at `on` otherwise.',
  })
  @ApiBody({ schema: { type: 'object', example: { plan: 'fixed', on: '2026-05-01' } } })
  async changePlan(
    @Param('site', SITE) site: string,
    @Param('id', ID) id: string,
    @Body(new ZodBody(changePlanSchema)) body: ChangePlanBody,
    @CurrentPrincipal() caller: Principal,
  ): Promise<{ ended: ContractView; next: ContractView }> {
    assertSiteAccess(caller, site);
    const { ended, next } = await this.contracts.changePlan(site, id, body, actorOf(caller));
    const { today } = await this.calendar.day(site);
    return { ended: toContractView(ended, today), next: toContractView(next, today) };
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Give notice',
    description:
      'Ends at the later of `on` (default today) and today plus the notice days; a fixed-term contract never ends ' +
      'later than agreed. A contract that has not begun is cancelled outright (status cancelled).',
  })
  async cancel(
    @Param('site', SITE) site: string,
    @Param('id', ID) id: string,
    @Body(new ZodBody(cancelSchema)) body: z.infer<typeof cancelSchema>,
    @CurrentPrincipal() caller: Principal,
  ): Promise<ContractView> {
    assertSiteAccess(caller, site);
    return this.view(site, await this.contracts.cancel(site, id, body.on, actorOf(caller)));
  }

  @Post(':id/renew')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Renew a fixed-term contract until a later date (open-ended ones renew by themselves)',
  })
  async renew(
    @Param('site', SITE) site: string,
    @Param('id', ID) id: string,
    @Body(new ZodBody(renewSchema)) body: z.infer<typeof renewSchema>,
    @CurrentPrincipal() caller: Principal,
  ): Promise<ContractView> {
    assertSiteAccess(caller, site);
    return this.view(site, await this.contracts.renew(site, id, body.until, actorOf(caller)));
  }

  @Get(':id/assignments')
  @Roles('admin', 'manager', 'member')
  @ApiOperation({ summary: 'What the contract holds or held (a member key reads only its own)' })
  async listAssignments(
    @Param('site', SITE) site: string,
    @Param('id', ID) id: string,
    @CurrentPrincipal() caller: Principal,
  ): Promise<AssignmentView[]> {
    await this.ownContract(caller, site, id);
    return (await this.assignments.list(site, id)).map(toAssignmentView);
  }

  @Post(':id/assignments')
  @ApiOperation({
    summary: 'Assign a locker, parking space or desk, or hand over an item such as a key',
    description: 'A resource held by another contract answers 409. Released when the contract ends.',
  })
  @ApiBody({ schema: { type: 'object', example: { resource: 'locker-12' } } })
  @ApiResponse({ status: 201, description: 'assigned' })
  @ApiResponse({ status: 409, description: 'the resource is held by another contract' })
  async assign(
    @Param('site', SITE) site: string,
    @Param('id', ID) id: string,
    @Body(new ZodBody(assignSchema)) body: AssignBody,
    @CurrentPrincipal() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AssignmentView> {
    assertSiteAccess(caller, site);
    const { assignment, created } = await this.assignments.assign(site, id, body, actorOf(caller));
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return toAssignmentView(assignment);
  }

  @Delete(':id/assignments/:assignment')
  @ApiOperation({ summary: 'Release an assignment now (the item is handed back)' })
  async release(
    @Param('site', SITE) site: string,
    @Param('id', ID) id: string,
    @Param('assignment', ASSIGNMENT) assignment: string,
    @CurrentPrincipal() caller: Principal,
  ): Promise<AssignmentView> {
    assertSiteAccess(caller, site);
    return toAssignmentView(await this.assignments.release(site, id, assignment, actorOf(caller)));
  }

  private async view(site: string, contract: Parameters<typeof toContractView>[0]): Promise<ContractView> {
    const { today } = await this.calendar.day(site);
    return toContractView(contract, today);
  }

  /** Member keys reach their own contracts only; a contract of someone else is 403, as for members. */
  private async ownContract(caller: Principal, site: string, id: string) {
    assertSiteAccess(caller, site);
    const contract = await this.contracts.get(site, id);
    assertMemberAccess(caller, site, contract.memberId);
    return contract;
  }
}
