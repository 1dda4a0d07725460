import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { z } from 'zod';
import { Clock } from '@cw/common';
import { Database } from '@cw/database';
import { defineJob, JobQueue } from '@cw/jobs';
import { MaterialiseRepository } from './materialise.repository';
import { Materialiser } from './materialiser';

export const kpiMaintenanceJob = defineJob('kpi.maintain', z.object({ slot: z.number().int() }).strict());

/** How often the slices are brought up to date. */
export const MAINTENANCE_EVERY_MS = 5 * 60_000;
/** Policies (compression, retention) run at most this often on the embedded build. */
const POLICIES_EVERY_MS = 60 * 60_000;
const DAYS_PER_RUN = 400;

/**
 * The KPI upkeep, as a job that re-schedules itself: mark today's days, re-derive the dirty days and refresh the
 * aggregates over them, and on the embedded build (no background workers) run the TimescaleDB policies. With
 * BullMQ the slot in the job id keeps several processes from scheduling the same run twice.
 */
@Injectable()
export class KpiMaintenance implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(KpiMaintenance.name);
  private policiesAt = 0;

  constructor(
    private readonly queue: JobQueue,
    private readonly materialiser: Materialiser,
    private readonly repo: MaterialiseRepository,
    private readonly db: Database,
    private readonly clock: Clock,
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

  /** One pass; also what tests and the refresh endpoint call. */
  async runOnce(): Promise<{ days: number; policies: number }> {
    for (const siteId of await this.repo.siteIds()) await this.materialiser.markRoutineDays(siteId);
    let days = 0;
    for (let written = -1; written !== 0;) {
      written = await this.materialiser.drain(DAYS_PER_RUN);
      days += written;
    }
    let policies = 0;
    const now = this.clock.now().getTime();
    if (this.db.kind === 'embedded' && now - this.policiesAt >= POLICIES_EVERY_MS) {
      policies = (await this.repo.runPolicies()).length;
      this.policiesAt = now;
    }
    if (days > 0) this.logger.log(`KPI slices: ${days} days re-derived`);
    return { days, policies };
  }

  private async schedule(slot: number): Promise<void> {
    const runAt = new Date(Math.max(slot * MAINTENANCE_EVERY_MS, Date.now()));
    await this.queue.schedule(kpiMaintenanceJob, { slot }, { jobId: `kpi-maintain-${slot}`, runAt });
  }
}
