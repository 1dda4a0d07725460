import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { assertMemberAccess, CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { notFound } from '@cw/common';
import { toInvoiceView } from './dto/billing.dto';
import { INVOICE, MEMBER, SITE } from './dto/path-param.pipe';
import { InvoicesService } from './invoices.service';

/** A member's own invoices: the invoices addressed to the member (their own, or their company's as its contact). */
@ApiTags('billing')
@ApiBearerAuth()
@Controller('v1/sites/:site/members/:member/invoices')
@Roles('admin', 'manager', 'member')
export class MemberInvoicesController {
  constructor(private readonly invoices: InvoicesService) {}

  @Get()
  @ApiOperation({ summary: "A member's invoices and credit notes, with what is paid and owed" })
  async list(
    @Param('site', SITE) site: string,
    @Param('member', MEMBER) member: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertMemberAccess(principal, site, member);
    const found = await this.invoices.list(site, { memberId: member });
    return found.map((d) => toInvoiceView(d.invoice, d.balance));
  }

  @Get(':id')
  async get(
    @Param('site', SITE) site: string,
    @Param('member', MEMBER) member: string,
    @Param('id', INVOICE) id: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertMemberAccess(principal, site, member);
    const d = await this.invoices.get(site, id);
    // Another member's invoice is not found, rather than forbidden: its existence is not the caller's business.
    if (d.invoice.memberId !== member) throw notFound(`invoice ${id}`);
    return toInvoiceView(d.invoice, d.balance, d.lines);
  }
}
