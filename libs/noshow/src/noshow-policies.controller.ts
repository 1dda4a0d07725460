import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { assertSiteAccess, CurrentPrincipal, Principal, Roles } from '@cw/auth';
import { invalid, ZodBody } from '@cw/common';
import { RESOURCE_KINDS, SitesService } from '@cw/sites';
import { z } from 'zod';
import { NoShowPolicies } from './noshow-policies';
import { NoShowRepository } from './noshow.repository';

const policySchema = z
  .object({
    earlyMinutes: z.number().min(0).max(240),
    graceMinutes: z.number().min(0).max(240),
    ghostEnabled: z.boolean().default(false),
    ghostAfterMinutes: z
      .number()
      .positive()
      .max(24 * 60)
      .default(20),
  })
  .strict();

const KINDS = ['*', ...RESOURCE_KINDS] as const;

/**
 * No-show windows per site and resource kind (`*` is the site default): how early evidence counts, how long a
 * booking waits for it, and whether empty checked-in rooms are given back (ghost release).
 */
@ApiTags('bookings')
@ApiBearerAuth()
@Controller('v1/sites/:site/noshow-policies')
export class NoShowPoliciesController {
  constructor(
    private readonly repo: NoShowRepository,
    private readonly policies: NoShowPolicies,
    private readonly sites: SitesService,
  ) {}

  @Get(':kind')
  async get(
    @Param('site') site: string,
    @Param('kind') kind: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertSiteAccess(principal, site);
    this.checkKind(kind);
    await this.sites.getSite(site);
    const policy = await this.repo.policyOfKind(site, kind);
    return {
      site,
      kind,
      earlyMinutes: policy.earlyMs / 60_000,
      graceMinutes: policy.graceMs / 60_000,
      ghostEnabled: policy.ghostEnabled,
      ghostAfterMinutes: policy.ghostAfterMs / 60_000,
    };
  }

  @Put(':kind')
  @Roles('admin', 'manager')
  async put(
    @Param('site') site: string,
    @Param('kind') kind: string,
    @Body(new ZodBody(policySchema)) body: z.infer<typeof policySchema>,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertSiteAccess(principal, site);
    this.checkKind(kind);
    await this.sites.getSite(site);
    await this.policies.set(site, kind, {
      earlyMs: body.earlyMinutes * 60_000,
      graceMs: body.graceMinutes * 60_000,
      ghostEnabled: body.ghostEnabled,
      ghostAfterMs: body.ghostAfterMinutes * 60_000,
    });
    return { site, kind, ...body };
  }

  private checkKind(kind: string): void {
    if (!(KINDS as readonly string[]).includes(kind)) {
      throw invalid('unknown resource kind', [
        { path: 'params.kind', message: `one of ${KINDS.join(', ')}` },
      ]);
    }
  }
}
