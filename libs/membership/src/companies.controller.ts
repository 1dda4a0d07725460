import { Body, Controller, Get, HttpStatus, Param, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { assertSiteAccess, CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { ZodBody } from '@cw/common';
import { DirectoryService } from './directory.service';
import {
  CompanyBody,
  companyBodySchema,
  CompanyDetailView,
  CompanyView,
  toCompanyView,
} from './dto/directory.dto';
import { ID, SITE, assertSameId } from './dto/fields';

@ApiTags('membership')
@ApiBearerAuth()
@Controller('v1/sites/:site/companies')
@Roles('admin', 'manager')
export class CompaniesController {
  constructor(private readonly directory: DirectoryService) {}

  @Get()
  @ApiOperation({ summary: "The site's companies" })
  async list(
    @Param('site', SITE) site: string,
    @CurrentPrincipal() caller: Principal,
  ): Promise<CompanyView[]> {
    assertSiteAccess(caller, site);
    return (await this.directory.listCompanies(site)).map(toCompanyView);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A company with its members and teams' })
  async get(
    @Param('site', SITE) site: string,
    @Param('id', ID) id: string,
    @CurrentPrincipal() caller: Principal,
  ): Promise<CompanyDetailView> {
    assertSiteAccess(caller, site);
    const { company, members, teams } = await this.directory.getCompany(site, id);
    return { ...toCompanyView(company), members, teams };
  }

  @Put(':id')
  @ApiOperation({
    summary: 'Create or replace a company (idempotent)',
    description:
      'The billing contact must be a member of the company: create the company, then its members, then set it.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      example: {
        name: 'Acme SL',
        billingEmail: 'finance@acme.example',
        taxId: 'B12345678',
        address: 'Gran Via 1, Madrid',
      },
    },
  })
  @ApiResponse({ status: 201, description: 'created' })
  @ApiResponse({ status: 200, description: 'replaced' })
  @ApiResponse({ status: 400, description: 'invalid body; `errors[].path` names each bad field' })
  async put(
    @Param('site', SITE) site: string,
    @Param('id', ID) id: string,
    @Body(new ZodBody(companyBodySchema)) body: CompanyBody,
    @CurrentPrincipal() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CompanyView> {
    assertSiteAccess(caller, site);
    assertSameId(id, body.id);
    const { created, value } = await this.directory.putCompany(site, id, body);
    res.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return toCompanyView(value);
  }
}
