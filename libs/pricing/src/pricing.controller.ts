import { Body, Controller, Get, Param, Post, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { assertMemberAccess, assertSiteAccess, CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { invalid, ZodBody } from '@cw/common';
import { RESOURCE_KINDS, SitesService } from '@cw/sites';
import { PricingRuleDto, pricingRuleSchema, QuoteRequestDto, quoteRequestSchema } from './dto/pricing.dto';
import { PricingRepository } from './pricing.repository';
import { PricingService } from './pricing.service';
import { DEFAULT_RULE, SitePricingRule, StoredQuote } from './pricing.types';

const KINDS: readonly string[] = ['*', ...RESOURCE_KINDS];

function checkKind(kind: string): void {
  if (!KINDS.includes(kind))
    throw invalid(`unknown resource kind ${kind}`, [{ path: 'kind', message: `one of ${KINDS.join(', ')}` }]);
}

const quoteBody = (q: StoredQuote) => ({
  id: q.id,
  resource: q.resourceId,
  member: q.memberId,
  start: q.start.toISOString(),
  end: q.end.toISOString(),
  priceMinor: q.priceMinor,
  currency: q.currency,
  breakdown: q.breakdown,
  expiresAt: q.expiresAt.toISOString(),
  usedBy: q.bookingId,
});

const ruleBody = (r: SitePricingRule) => ({
  targetUtilisation: r.targetUtilisation,
  sensitivity: r.sensitivity,
  minMultiplier: r.minMultiplier,
  maxMultiplier: r.maxMultiplier,
  floorPerHourMinor: r.floorPerHourMinor,
  ceilingPerHourMinor: r.ceilingPerHourMinor,
  forecastWeeks: r.forecastWeeks,
  quoteTtlMinutes: r.quoteTtlSeconds / 60,
});

/** Price quotes for a resource and slot, and the per-kind demand curves and bounds they follow. */
@ApiTags('pricing')
@ApiBearerAuth()
@Controller('v1/sites/:site')
export class PricingController {
  constructor(
    private readonly pricing: PricingService,
    private readonly repo: PricingRepository,
    private readonly sites: SitesService,
  ) {}

  /** A member's key quotes for that member; staff and integrations may quote for anyone (or nobody: a guest). */
  @Post('quotes')
  @Roles('admin', 'manager', 'integration', 'member')
  async quote(
    @Param('site') site: string,
    @Body(new ZodBody(quoteRequestSchema)) body: QuoteRequestDto,
    @CurrentPrincipal() caller: Principal,
  ) {
    const memberId = caller.role === 'member' ? caller.memberId : (body.member ?? null);
    if (memberId) assertMemberAccess(caller, site, memberId);
    else assertSiteAccess(caller, site);
    const quote = await this.pricing.createQuote({
      siteId: site,
      resourceId: body.resource,
      start: body.start,
      end: body.end,
      memberId,
    });
    return quoteBody(quote);
  }

  @Get('quotes/:id')
  @Roles('admin', 'manager', 'integration', 'member')
  async getQuote(
    @Param('site') site: string,
    @Param('id') id: string,
    @CurrentPrincipal() caller: Principal,
  ) {
    assertSiteAccess(caller, site);
    const quote = await this.pricing.getQuote(site, id);
    if (caller.role === 'member') assertMemberAccess(caller, site, quote.memberId ?? '');
    return quoteBody(quote);
  }

  @Get('pricing-rules/:kind')
  @Roles('admin', 'manager', 'integration')
  async getRule(
    @Param('site') site: string,
    @Param('kind') kind: string,
    @CurrentPrincipal() caller: Principal,
  ) {
    assertSiteAccess(caller, site);
    checkKind(kind);
    await this.sites.getSite(site);
    const rule = await this.repo.getRule(site, kind);
    return { kind, configured: rule !== undefined, ...ruleBody(rule ?? DEFAULT_RULE) };
  }

  @Put('pricing-rules/:kind')
  @Roles('admin', 'manager')
  async putRule(
    @Param('site') site: string,
    @Param('kind') kind: string,
    @Body(new ZodBody(pricingRuleSchema)) body: PricingRuleDto,
    @CurrentPrincipal() caller: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    assertSiteAccess(caller, site);
    checkKind(kind);
    await this.sites.getSite(site);
    const rule: SitePricingRule = {
      targetUtilisation: body.targetUtilisation,
      sensitivity: body.sensitivity,
      minMultiplier: body.minMultiplier,
      maxMultiplier: body.maxMultiplier,
      floorPerHourMinor: body.floorPerHourMinor,
      ceilingPerHourMinor: body.ceilingPerHourMinor,
      forecastWeeks: body.forecastWeeks,
      quoteTtlSeconds: body.quoteTtlMinutes * 60,
    };
    const created = await this.repo.putRule(site, kind, rule);
    res.status(created ? 201 : 200);
    return { kind, configured: true, ...ruleBody(rule) };
  }
}
