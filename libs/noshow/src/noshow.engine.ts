import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Booking, BookingsEvents, BookingsRepository, BookingsService } from '@cw/booking';
import { Clock } from '@cw/common';
import { BookingRelease, PlatformEvent, ReleaseReason } from '@cw/events';
import { Queryable } from '@cw/database';
import { StoredEventsBus } from '@cw/ingest';
import { DecisionJob, DecisionTimers } from './decision-timers';
import { NoShowRepository } from './noshow.repository';
import { checkInWindow, decideGhost, decideNoShow, DEFAULT_POLICY } from './noshow.rules';
import { ReleasePublisher } from './release.publisher';

const timerKey = (siteId: string, bookingId: string) => `noshow:${siteId}:${bookingId}`;
const ghostKey = (siteId: string, bookingId: string) => `ghost:${siteId}:${bookingId}`;

export type DecisionOutcome = 'released' | 'checked_in' | 'rearmed' | 'stale';

/**
 * Gives back every booking nobody turned up for. A timer fires when a booking's grace ends; the decision then runs
 * under the booking's row lock against the stored evidence, so it races safely with check-ins, survives restarts
 * (timers are re-armed from the database at boot) and releases each booking at most once.
 */
@Injectable()
export class NoShowEngine implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(NoShowEngine.name);
  private readonly unsubscribe: (() => void)[] = [];
  private pending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly bookingsRepo: BookingsRepository,
    private readonly bookings: BookingsService,
    private readonly bookingEvents: BookingsEvents,
    private readonly repo: NoShowRepository,
    private readonly timers: DecisionTimers,
    private readonly publisher: ReleasePublisher,
    private readonly bus: StoredEventsBus,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.timers.onDue((job) =>
      (job.emptySince ? this.decideGhost(job) : this.decide(job)).then(() => undefined),
    );
    this.unsubscribe.push(
      this.bookingEvents.on('booking.changed', ({ booking }) => this.track(this.arm(booking))),
      this.bus.on('stored', (events) => this.track(this.takeEvidence(events))),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    const waiting = await this.bookingsRepo.listAwaitingDecision(
      new Date(this.clock.now().getTime() - 86_400_000),
    );
    for (const booking of waiting) await this.arm(booking);
    if (waiting.length) this.logger.log(`re-armed ${waiting.length} no-show timers`);
  }

  onModuleDestroy(): void {
    this.unsubscribe.forEach((off) => off());
  }

  /** Resolves when the reactions to everything heard so far are done (tests, shutdown). */
  async settled(): Promise<void> {
    let current: Promise<unknown>;
    do {
      current = this.pending;
      await current;
    } while (current !== this.pending);
  }

  /** Decides one booking now if its grace has ended; a timer for an older version of the booking is stale. */
  async decide(job: DecisionJob): Promise<DecisionOutcome> {
    const result = await this.bookingsRepo.db.transaction(async (tx) => {
      const booking = await this.bookingsRepo.lock(tx, job.siteId, job.bookingId);
      if (!booking || booking.status !== 'confirmed' || booking.version !== job.version)
        return { outcome: 'stale' as const };
      const policy = await this.repo.policyFor(booking.siteId, booking.resourceId, tx);
      const { from, to } = checkInWindow(booking, policy);
      const evidence = await this.repo.firstEvidence(
        tx,
        booking.siteId,
        booking.resourceId,
        booking.memberId,
        from,
        to,
      );
      const decision = decideNoShow(booking, evidence ? [evidence] : [], policy, this.clock.now());
      switch (decision.kind) {
        case 'wait':
          return { outcome: 'rearmed' as const, booking, until: decision.until };
        case 'keep': {
          const updated = await this.bookingsRepo.setStatus(
            tx,
            booking.siteId,
            booking.id,
            'checked_in',
            decision.checkedInAt,
          );
          return { outcome: 'checked_in' as const, booking, updated };
        }
        case 'release':
          return {
            outcome: 'released' as const,
            booking,
            ...(await this.release(tx, booking, 'no_show', decision.decidedAt)),
          };
      }
    });
    switch (result.outcome) {
      case 'stale':
        return 'stale';
      case 'rearmed':
        await this.timers.arm(timerKey(job.siteId, job.bookingId), result.until, job);
        return 'rearmed';
      case 'checked_in':
        this.bookingEvents.emit('booking.changed', { booking: result.updated, previous: result.booking });
        return 'checked_in';
      case 'released':
        await this.announceRelease(result);
        return 'released';
    }
  }

  /**
   * The room of a checked-in booking went empty at `emptySince` (event time): if the site opted in to ghost release,
   * a timer gives back the rest of the booking once the room has stayed empty long enough.
   */
  async roomEmptied(siteId: string, bookingId: string, emptySince: Date): Promise<void> {
    const booking = await this.bookingsRepo.find(siteId, bookingId);
    if (!booking || booking.status !== 'checked_in') return;
    const policy = await this.repo.policyFor(siteId, booking.resourceId);
    const decision = decideGhost(booking, emptySince, policy, this.clock.now());
    if (decision.kind === 'keep') return;
    const due = decision.kind === 'wait' ? decision.until : decision.decidedAt;
    await this.timers.arm(ghostKey(siteId, bookingId), due, {
      siteId,
      bookingId,
      version: booking.version,
      emptySince: emptySince.toISOString(),
    });
  }

  roomOccupied(siteId: string, bookingId: string): Promise<void> {
    return this.timers.disarm(ghostKey(siteId, bookingId));
  }

  async decideGhost(job: DecisionJob): Promise<DecisionOutcome> {
    const emptySince = new Date(job.emptySince!);
    const result = await this.bookingsRepo.db.transaction(async (tx) => {
      const booking = await this.bookingsRepo.lock(tx, job.siteId, job.bookingId);
      if (!booking || booking.status !== 'checked_in') return { outcome: 'stale' as const };
      const policy = await this.repo.policyFor(booking.siteId, booking.resourceId, tx);
      const now = this.clock.now();
      // Anyone back in the room since it emptied keeps the booking.
      const back = await this.repo.firstEvidence(
        tx,
        booking.siteId,
        booking.resourceId,
        booking.memberId,
        new Date(emptySince.getTime() + 1),
        now,
      );
      const decision = decideGhost(booking, back ? null : emptySince, policy, now);
      if (decision.kind === 'keep') return { outcome: 'stale' as const };
      if (decision.kind === 'wait') return { outcome: 'rearmed' as const, until: decision.until };
      return {
        outcome: 'released' as const,
        booking,
        ...(await this.release(tx, booking, 'ghost', decision.decidedAt)),
      };
    });
    switch (result.outcome) {
      case 'stale':
        return 'stale';
      case 'rearmed':
        await this.timers.arm(ghostKey(job.siteId, job.bookingId), result.until, job);
        return 'rearmed';
      case 'released':
        await this.announceRelease(result);
        return 'released';
    }
  }

  /** Inside the decision's transaction: the booking gives up its slot and its one release row is written. */
  private async release(tx: Queryable, booking: Booking, reason: ReleaseReason, decidedAt: Date) {
    const updated = await this.bookingsRepo.setStatus(tx, booking.siteId, booking.id, 'released');
    const release = await this.repo.insertRelease(tx, {
      releaseId: `rel_${booking.siteId}_${booking.id}`,
      siteId: booking.siteId,
      bookingId: booking.id,
      resourceId: booking.resourceId,
      memberId: booking.memberId,
      reason,
      bookingStart: booking.start.toISOString(),
      bookingEnd: booking.end.toISOString(),
      decidedAt: decidedAt.toISOString(),
    });
    return { updated, release };
  }

  /** After commit: the booking change is announced and the release handed to its sinks. */
  private async announceRelease(result: {
    booking: Booking;
    updated: Booking;
    release: BookingRelease | undefined;
  }): Promise<void> {
    this.bookingEvents.emit('booking.changed', { booking: result.updated, previous: result.booking });
    if (!result.release) return;
    this.logger.log(
      `released booking ${result.release.bookingId} (${result.release.resourceId}): ${result.release.reason}`,
    );
    await this.publisher.publish(result.release);
  }

  private async arm(booking: Booking): Promise<void> {
    const key = timerKey(booking.siteId, booking.id);
    if (booking.status !== 'confirmed') return this.timers.disarm(key);
    const policy = await this.repo.policyFor(booking.siteId, booking.resourceId);
    const { to } = checkInWindow(booking, policy);
    await this.timers.arm(key, to, {
      siteId: booking.siteId,
      bookingId: booking.id,
      version: booking.version,
    });
  }

  /**
   * Presence in a booked resource, or the booker's badge at one of its doors, checks the booking in as soon as it is
   * stored, so the floor map shows it attended before grace ends. The timer's decision stays the authority. One
   * query per site and batch finds the candidate bookings: a query per event capped ingest of presence traffic.
   */
  private async takeEvidence(events: PlatformEvent[]): Promise<void> {
    const bySite = new Map<string, { resourceIds: string[]; member: string | null; ts: Date }[]>();
    for (const event of events) {
      let resourceIds: string[] = [];
      let member: string | null = null;
      if (event.type === 'sensor') {
        const { kind, value } = event.payload;
        const present =
          (kind === 'presence' && value === 1) || ((kind === 'people_in' || kind === 'count') && value > 0);
        if (present && event.resourceId) resourceIds = [event.resourceId];
      } else if (event.type === 'door' && event.payload.result === 'granted' && event.payload.member) {
        resourceIds = event.resourceIds;
        member = event.payload.member;
      }
      if (resourceIds.length === 0) continue;
      const list = bySite.get(event.siteId) ?? [];
      list.push({ resourceIds, member, ts: event.ts });
      bySite.set(event.siteId, list);
    }
    for (const [siteId, evidence] of bySite) {
      const resources = [...new Set(evidence.flatMap((e) => e.resourceIds))];
      const times = evidence.map((e) => e.ts.getTime());
      // The widest default window finds candidates; each booking's own policy then decides.
      const candidates = await this.bookingsRepo.findStartingBetween(
        siteId,
        resources,
        new Date(Math.min(...times) - DEFAULT_POLICY.graceMs * 4),
        new Date(Math.max(...times) + DEFAULT_POLICY.earlyMs * 4),
      );
      for (const booking of candidates) {
        const policy = await this.repo.policyFor(booking.siteId, booking.resourceId);
        const { from, to } = checkInWindow(booking, policy);
        const first = evidence
          .filter(
            (e) =>
              e.resourceIds.includes(booking.resourceId) &&
              (e.member === null || e.member === booking.memberId),
          )
          .map((e) => e.ts)
          .filter((ts) => ts >= from && ts <= to)
          .sort((a, b) => a.getTime() - b.getTime())[0];
        if (first) await this.bookings.checkIn(booking.siteId, booking.id, first);
      }
    }
  }

  private track(work: Promise<unknown>): void {
    const guarded = work.catch((error: Error) => this.logger.error(`no-show engine: ${error.message}`));
    this.pending = Promise.all([this.pending, guarded]);
  }
}
