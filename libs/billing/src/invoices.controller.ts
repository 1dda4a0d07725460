import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { assertSiteAccess, CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { ZodBody } from '@cw/common';
import { creditNoteSchema, listInvoicesSchema, toInvoiceView } from './dto/billing.dto';
import { INVOICE, SITE } from './dto/path-param.pipe';
import { InvoiceChainService } from './invoice-chain.service';
import { InvoicesService } from './invoices.service';

@ApiTags('billing')
@ApiBearerAuth()
@Controller('v1/sites/:site/invoices')
@Roles('admin', 'manager')
export class InvoicesController {
  constructor(
    private readonly invoices: InvoicesService,
    private readonly chain: InvoiceChainService,
  ) {}

  @Get()
  async list(
    @Param('site', SITE) site: string,
    @Query(new ZodBody(listInvoicesSchema)) query: z.infer<typeof listInvoicesSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertSiteAccess(principal, site);
    const found = await this.invoices.list(site, {
      memberId: query.member,
      companyId: query.company,
      from: query.from,
      to: query.to,
      kind: query.kind,
    });
    return found.map((d) => toInvoiceView(d.invoice, d.balance));
  }

  // Declared before ':id' so 'verify' is not read as an invoice id.
  @Get('verify')
  @ApiOperation({
    summary: 'Verify the hash chain of every invoice series of the site',
    description:
      '{ok, checked, firstBroken?: {series, number, reason}, broken}: numbers without gaps, each record matching ' +
      'its hash, each previous_hash matching the record before.',
  })
  async verify(@Param('site', SITE) site: string, @CurrentPrincipal() principal: Principal) {
    assertSiteAccess(principal, site);
    return this.chain.verify(site);
  }

  @Get(':id')
  async get(
    @Param('site', SITE) site: string,
    @Param('id', INVOICE) id: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertSiteAccess(principal, site);
    const d = await this.invoices.get(site, id);
    return toInvoiceView(d.invoice, d.balance, d.lines);
  }

  @Post(':id/credit-note')
  @ApiOperation({
    summary: 'Correct an issued invoice with a credit note',
    description:
      'A credit note in series CN with negative lines reversing the whole invoice (full: true) or some lines ' +
      '(lines: [{lineNo, amountMinor?}]); the invoice itself never changes.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['reason'],
      properties: {
        full: { type: 'boolean', enum: [true] },
        lines: {
          type: 'array',
          items: {
            type: 'object',
            required: ['lineNo'],
            properties: { lineNo: { type: 'integer' }, amountMinor: { type: 'integer' } },
          },
        },
        reason: { type: 'string' },
      },
    },
  })
  async creditNote(
    @Param('site', SITE) site: string,
    @Param('id', INVOICE) id: string,
    @Body(new ZodBody(creditNoteSchema)) body: z.infer<typeof creditNoteSchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertSiteAccess(principal, site);
    const d = await this.invoices.creditNote(site, id, body);
    return toInvoiceView(d.invoice, d.balance, d.lines);
  }
}
