import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { z } from 'zod';
import { Clock } from '@cw/common';
import { Database } from '@cw/database';
import { defineJob, JobQueue } from '@cw/jobs';
import { SitesService } from '@cw/sites';
import { hasOpeningHours, openIntervals } from '../time/opening-hours';
import { addDays, localDate } from '../time/zoned';
import { MaterialiseRepository } from './materialise.repository';
import { Materialiser } from './materialiser';
import { isOpenAt, policiesDue } from './policy-schedule';

export const kpiMaintenanceJob = defineJob('kpi.maintain', z.object({ slot: z.number().int() }).strict());

/** How often the slices are brought up to date. */
export const MAINTENANCE_EVERY_MS = 5 * 60_000;
const DAYS_PER_RUN = 400;

/**
 * The KPI upkeep, as a job that re-schedules itself: mark today's days, re-derive the dirty days and refresh the
 * aggregates over them, and on the embedded build (no background workers) run the TimescaleDB policies. With
 * BullMQ the slot in the job id keeps several processes from scheduling the same run twice.
 */
@Injectable()
export class KpiMaintenance implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(KpiMaintenance.name);
  /** The platform clock at the first check: what a database that never ran the storage policies counts from. */
  private firstCheckAt: number | undefined;

  constructor(
    private readonly queue: JobQueue,
    private readonly materialiser: Materialiser,
    private readonly repo: MaterialiseRepository,
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly sites: SitesService,
  ) {}

  async onModuleInit(): Promise<void> {
    // Before anything writes to a hypertable with compressed chunks or aggregates (see migration 0010).
    await this.repo.enableTimescaleFeatures();
    this.queue.process(kpiMaintenanceJob, async ({ slot }) => {
      try {
        await this.runOnce();
      } finally {
        await this.schedule(slot + 1);
      }
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.schedule(Math.floor(Date.now() / MAINTENANCE_EVERY_MS) + 1);
  }

  /**
   * One pass; also what tests and the refresh endpoint call. On the embedded build the storage policies run when
   * due (see policy-schedule.ts), or now with `policies: 'now'`.
   */
  async runOnce(
    options: { policies?: 'when-due' | 'now' } = {},
  ): Promise<{ days: number; policies: number }> {
    for (const siteId of await this.repo.siteIds()) await this.materialiser.markRoutineDays(siteId);
    let days = 0;
    for (let written = -1; written !== 0;) {
      written = await this.materialiser.drain(DAYS_PER_RUN);
      days += written;
    }
    let policies = 0;
    if (this.db.kind === 'embedded' && (options.policies === 'now' || (await this.storagePoliciesDue())))
      policies = (await this.repo.runStoragePolicies()).length;
    if (days > 0) this.logger.log(`KPI slices: ${days} days re-derived`);
    return { days, policies };
  }

  private async storagePoliciesDue(): Promise<boolean> {
    const now = this.clock.now().getTime();
    const last = await this.repo.storagePoliciesRanAt();
    let anyOpen = false;
    for (const siteId of await this.repo.siteIds()) {
      const site = await this.sites.getSite(siteId);
      const today = localDate(now, site.timeZone);
      const open = openIntervals(site.openingHours, site.timeZone, addDays(today, -1), today);
      anyOpen ||= isOpenAt(open, hasOpeningHours(site.openingHours), now);
    }
    this.firstCheckAt ??= now;
    return policiesDue(last?.getTime() ?? null, now, anyOpen, this.firstCheckAt);
  }

  private async schedule(slot: number): Promise<void> {
    const runAt = new Date(Math.max(slot * MAINTENANCE_EVERY_MS, Date.now()));
    await this.queue.schedule(kpiMaintenanceJob, { slot }, { jobId: `kpi-maintain-${slot}`, runAt });
  }
}
