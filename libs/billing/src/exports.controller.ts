import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { assertSiteAccess, CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { ZodBody } from '@cw/common';
import { rangeQuerySchema } from './dto/billing.dto';
import { SITE } from './dto/path-param.pipe';
import { ExportsService } from './exports.service';

@ApiTags('billing')
@ApiBearerAuth()
@Controller('v1/sites/:site/exports')
@Roles('admin', 'manager')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Get('invoices.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiProduces('text/csv')
  @ApiOperation({
    summary: 'Invoices and credit notes issued in [from, to) (local dates), RFC 4180 CSV',
    description:
      'Amounts in minor units and as decimals of the currency, with the currency and the chain hash.',
  })
  async invoices(
    @Param('site', SITE) site: string,
    @Query(new ZodBody(rangeQuerySchema)) range: z.infer<typeof rangeQuerySchema>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<string> {
    assertSiteAccess(principal, site);
    return this.exports.invoicesCsv(site, range);
  }

  @Get('payments.csv')
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiProduces('text/csv')
  @ApiOperation({
    summary: 'Payments received in [from, to) (local dates), with their allocations, RFC 4180 CSV',
  })
  async payments(
    @Param('site', SITE) site: string,
    @Query(new ZodBody(rangeQuerySchema)) range: z.infer<typeof rangeQuerySchema>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<string> {
    assertSiteAccess(principal, site);
    return this.exports.paymentsCsv(site, range);
  }
}
