import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { z } from 'zod';
import { ACTIVE_STATUSES, Booking, BookingsEvents } from '@cw/booking';
import { defineJob, JobQueue } from '@cw/jobs';
import { MembershipEvents } from '@cw/membership';
import { SitesService } from '@cw/sites';
import { AccessEvents } from '../access.events';
import { AccessRepository } from '../access.repository';
import { GrantsPublisher } from './grants.publisher';

export const publishSiteGrantsJob = defineJob(
  'access.grants.site',
  z.object({ siteId: z.string().min(1).max(64) }).strict(),
);
export const publishAllGrantsJob = defineJob(
  'access.grants.all',
  z
    .object({
      next: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .nullable(),
    })
    .strict(),
);

const BUCKET_MS = 1000;

/**
 * What a booking contributes to the grants: nothing unless it holds its slot and has a member. A check-in changes
 * nothing here, and computing a large site's grants is not free, so only changes of this key republish.
 */
function grantOf(booking: Booking | null): string {
  if (!booking?.memberId || !ACTIVE_STATUSES.includes(booking.status)) return '';
  return [booking.memberId, booking.resourceId, booking.start.getTime(), booking.end.getTime()].join('|');
}
const DAY_MS = 86_400_000;
const utcDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * When grants are republished: on every change that moves them (credentials issued or revoked, zones or settings
 * written, the site's doors changed, a member's booking changed, a member offboarded or a contract changed) and once
 * a day for every site, plus once at boot (the embedded broker forgets retained messages with the process).
 *
 * Changes go through the job queue, coalesced per site and second: the job of a second runs after that second ends,
 * so it reads every change committed within it, and a change made while it runs lands in the next second's job.
 */
@Injectable()
export class GrantsScheduler implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(GrantsScheduler.name);
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly queue: JobQueue,
    private readonly publisher: GrantsPublisher,
    private readonly repository: AccessRepository,
    private readonly accessEvents: AccessEvents,
    private readonly bookingsEvents: BookingsEvents,
    private readonly sites: SitesService,
    private readonly moduleRef: ModuleRef,
  ) {}

  onModuleInit(): void {
    this.queue.process(publishSiteGrantsJob, async ({ siteId }) => {
      await this.publisher.publishSite(siteId);
    });
    this.queue.process(publishAllGrantsJob, async ({ next }) => {
      await this.publishAll();
      if (next) await this.scheduleDaily(next);
    });
    const on = (stop: () => void) => this.unsubscribe.push(stop);
    on(this.accessEvents.on('credential.changed', ({ siteId }) => this.changed(siteId)));
    on(this.accessEvents.on('site.access.changed', ({ siteId }) => this.changed(siteId)));
    on(this.sites.onSiteChanged((siteId) => this.changed(siteId)));
    on(
      this.bookingsEvents.on('booking.changed', ({ booking, previous }) => {
        if (grantOf(booking) !== grantOf(previous)) this.changed(booking.siteId);
      }),
    );
    const membership = this.membershipEvents();
    if (membership) {
      on(membership.on('member.offboarded', ({ siteId }) => this.changed(siteId)));
      on(membership.on('contract.changed', ({ contract }) => this.changed(contract.siteId)));
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    const now = Date.now();
    await this.queue.schedule(publishAllGrantsJob, { next: null }, { jobId: `grants-boot.${now}` });
    await this.scheduleDaily(utcDate(now + DAY_MS));
  }

  onModuleDestroy(): void {
    this.unsubscribe.splice(0).forEach((stop) => stop());
  }

  /** Coalesced per site and second; see the class comment. */
  changed(siteId: string): void {
    const bucket = Math.floor(Date.now() / BUCKET_MS);
    this.queue
      .schedule(
        publishSiteGrantsJob,
        { siteId },
        { jobId: `grants.${siteId}.${bucket}`, runAt: new Date((bucket + 1) * BUCKET_MS), attempts: 3 },
      )
      .catch((error: unknown) =>
        this.logger.error({ err: error, siteId }, 'could not schedule a grants publish'),
      );
  }

  private async scheduleDaily(date: string): Promise<void> {
    const runAt = new Date(`${date}T00:00:00Z`);
    const next = utcDate(runAt.getTime() + DAY_MS);
    await this.queue.schedule(publishAllGrantsJob, { next }, { jobId: `grants-daily.${date}`, runAt });
  }

  private async publishAll(): Promise<void> {
    for (const siteId of await this.repository.listSiteIds()) {
      try {
        await this.publisher.publishSite(siteId);
      } catch (error) {
        this.logger.error({ err: error, siteId }, 'grants publish failed for a site; the others go on');
      }
    }
  }

  /** Offboarding and contracts belong to the membership lib; heard when its module is part of the app. */
  private membershipEvents(): MembershipEvents | undefined {
    try {
      return this.moduleRef.get(MembershipEvents, { strict: false });
    } catch {
      this.logger.debug('membership events not provided: grants follow credential revocations only');
      return undefined;
    }
  }
}
