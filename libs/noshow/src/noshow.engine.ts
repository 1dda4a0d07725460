import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Booking, BookingsEvents, BookingsRepository, BookingsService } from '@cw/booking';
import { Clock } from '@cw/common';
import { PlatformEvent, ReleaseReason } from '@cw/events';
import { Queryable } from '@cw/database';
import { StoredEventsBus } from '@cw/ingest';
import { DecisionJob, DecisionTimers } from './decision-timers';
import { GroupedBatcher } from './grouped-batcher';
import { NoShowPolicies } from './noshow-policies';
import { NoShowRepository } from './noshow.repository';
import { checkInWindow, decideGhost, decideNoShow, DEFAULT_POLICY } from './noshow.rules';
import { ReleasePublisher, StagedReleases } from './release.publisher';

const timerKey = (siteId: string, bookingId: string) => `noshow:${siteId}:${bookingId}`;
const ghostKey = (siteId: string, bookingId: string) => `ghost:${siteId}:${bookingId}`;

export type DecisionOutcome = 'released' | 'checked_in' | 'rearmed' | 'stale';

/** Bookings decided in one transaction at most; a larger burst takes several. */
const DECISION_BATCH = 500;
/** Decision transactions in flight at once: each holds row locks, and on the embedded database the whole database. */
const DECISION_CONCURRENCY = 2;

/** A burst's grace ends are gathered this long before they are decided (see GroupedBatcher). */
const DECISION_GATHER_MS = 15;
/** How long shutdown waits for releases still being published. */
const SHUTDOWN_WAIT_MS = 5_000;

interface Evidence {
  resourceIds: string[];
  member: string | null;
  ts: Date;
}

/**
 * Gives back every booking nobody turned up for. A timer fires when a booking's grace ends; the decision then runs
 * under the booking's row lock against the stored evidence, so it races safely with check-ins, survives restarts
 * (timers are re-armed from the database at boot) and releases each booking at most once. Due decisions of a site
 * are taken together: one transaction locks them, checks their evidence and records their releases.
 */
@Injectable()
export class NoShowEngine implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(NoShowEngine.name);
  private readonly unsubscribe: (() => void)[] = [];
  /** Work started by what the engine heard; each entry leaves the set when it settles, so it never grows unbounded. */
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly decisions: GroupedBatcher<DecisionJob, DecisionOutcome>;
  /** Evidence heard while a lookup runs waits here and is looked up together next: at most one lookup at a time. */
  private evidenceQueue: PlatformEvent[] = [];
  private evidenceRun: Promise<void> | undefined;

  constructor(
    private readonly bookingsRepo: BookingsRepository,
    private readonly bookings: BookingsService,
    private readonly bookingEvents: BookingsEvents,
    private readonly repo: NoShowRepository,
    private readonly policies: NoShowPolicies,
    private readonly timers: DecisionTimers,
    private readonly publisher: ReleasePublisher,
    private readonly bus: StoredEventsBus,
    private readonly clock: Clock,
  ) {
    this.decisions = new GroupedBatcher((siteId, jobs) => this.decideMany(siteId, jobs), {
      maxBatch: DECISION_BATCH,
      concurrency: DECISION_CONCURRENCY,
      gatherMs: DECISION_GATHER_MS,
    });
  }

  onModuleInit(): void {
    this.timers.onDue((job) =>
      (job.emptySince ? this.decideGhost(job) : this.decide(job)).then(() => undefined),
    );
    this.unsubscribe.push(
      this.bookingEvents.on('booking.changed', ({ booking }) => this.track(this.arm(booking))),
      this.bus.on('stored', (events) => this.hearEvidence(events)),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    const waiting = await this.bookingsRepo.listAwaitingDecision(
      new Date(this.clock.now().getTime() - 86_400_000),
    );
    for (const booking of waiting) await this.arm(booking);
    if (waiting.length) this.logger.log(`re-armed ${waiting.length} no-show timers`);
  }

  /** Releases still going out are awaited for a while; one cut short stays in the outbox for the next boot's sweep. */
  async onModuleDestroy(): Promise<void> {
    this.unsubscribe.forEach((off) => off());
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.settled(),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_WAIT_MS))),
    ]);
    clearTimeout(timer);
  }

  /** Resolves when the reactions to everything heard so far (and the releases being published) are done. */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /**
   * Decides one booking now if its grace has ended; a timer for an older version of the booking is stale. Resolves
   * once the decision is committed; a release then goes out to its sinks in the background (`settled` waits for it).
   */
  decide(job: DecisionJob): Promise<DecisionOutcome> {
    return this.decisions.submit(job.siteId, job);
  }

  /**
   * The due decisions of one site in one transaction: lock the bookings, find each one's first evidence in one
   * query, then check in, release (one statement each for all of them) or wait. Announced after commit.
   */
  private async decideMany(siteId: string, jobs: DecisionJob[]): Promise<DecisionOutcome[]> {
    // Read before the transaction: on the embedded database a read outside it would wait for its end.
    const policyOf = await this.policies.forSite(siteId);
    const now = this.clock.now();
    const result = await this.bookingsRepo.db.transaction(async (tx) => {
      const locked = new Map(
        (
          await this.bookingsRepo.lockMany(
            tx,
            siteId,
            jobs.map((j) => j.bookingId),
          )
        ).map((b) => [b.id, b]),
      );
      const live = jobs
        .map((job) => locked.get(job.bookingId))
        .filter((b, i): b is Booking => !!b && b.status === 'confirmed' && b.version === jobs[i].version);
      const unique = [...new Map(live.map((b) => [b.id, b])).values()];
      const windows = unique.map((b) => ({ booking: b, ...checkInWindow(b, policyOf(b.resourceId)) }));
      const evidence = await this.repo.firstEvidenceMany(
        tx,
        siteId,
        windows.map((w) => ({
          bookingId: w.booking.id,
          resourceId: w.booking.resourceId,
          memberId: w.booking.memberId,
          from: w.from,
          to: w.to,
        })),
      );
      const outcome = new Map<string, { outcome: DecisionOutcome; until?: Date }>();
      const checkIns: { id: string; status: 'checked_in'; checkedInAt: Date }[] = [];
      const releases: { booking: Booking; decidedAt: Date }[] = [];
      for (const { booking } of windows) {
        const first = evidence.get(booking.id) ?? null;
        const decision = decideNoShow(booking, first ? [first] : [], policyOf(booking.resourceId), now);
        switch (decision.kind) {
          case 'wait':
            outcome.set(booking.id, { outcome: 'rearmed', until: decision.until });
            break;
          case 'keep':
            outcome.set(booking.id, { outcome: 'checked_in' });
            checkIns.push({ id: booking.id, status: 'checked_in', checkedInAt: decision.checkedInAt });
            break;
          case 'release':
            outcome.set(booking.id, { outcome: 'released' });
            releases.push({ booking, decidedAt: decision.decidedAt });
            break;
        }
      }
      const checkedIn = await this.bookingsRepo.setStatusMany(tx, siteId, checkIns);
      const released = await this.releaseMany(tx, siteId, releases, 'no_show');
      return { locked, outcome, checkedIn, ...released };
    });
    const previous = result.locked;
    for (const booking of [...result.checkedIn, ...result.updated])
      this.bookingEvents.emit('booking.changed', { booking, previous: previous.get(booking.id) ?? null });
    const outcomes = jobs.map((job) => result.outcome.get(job.bookingId) ?? { outcome: 'stale' as const });
    // A repeated job for the same booking in one batch was decided once; the copies are stale.
    const seen = new Set<string>();
    const answers = outcomes.map((o, i) => {
      const id = jobs[i].bookingId;
      if (o.outcome !== 'stale' && seen.has(id)) return 'stale' as const;
      seen.add(id);
      return o.outcome;
    });
    await Promise.all(
      jobs.flatMap((job, i) => {
        const until = outcomes[i].until;
        return answers[i] === 'rearmed' && until
          ? [this.timers.arm(timerKey(job.siteId, job.bookingId), until, job)]
          : [];
      }),
    );
    // Published outside the decision slot: a burst's next batch is decided while this one goes out to its sinks.
    this.track(this.announceReleases(result.releases));
    return answers;
  }

  /**
   * The room of a checked-in booking went empty at `emptySince` (event time): if the site opted in to ghost release,
   * a timer gives back the rest of the booking once the room has stayed empty long enough.
   */
  async roomEmptied(siteId: string, bookingId: string, emptySince: Date): Promise<void> {
    const booking = await this.bookingsRepo.find(siteId, bookingId);
    if (!booking || booking.status !== 'checked_in') return;
    const policy = await this.policies.policyFor(siteId, booking.resourceId);
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
    const policyOf = await this.policies.forSite(job.siteId);
    const result = await this.bookingsRepo.db.transaction(async (tx) => {
      const booking = await this.bookingsRepo.lock(tx, job.siteId, job.bookingId);
      if (!booking || booking.status !== 'checked_in') return { outcome: 'stale' as const };
      const policy = policyOf(booking.resourceId);
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
      const released = await this.releaseMany(
        tx,
        booking.siteId,
        [{ booking, decidedAt: decision.decidedAt }],
        'ghost',
      );
      return { outcome: 'released' as const, booking, ...released };
    });
    switch (result.outcome) {
      case 'stale':
        return 'stale';
      case 'rearmed':
        await this.timers.arm(ghostKey(job.siteId, job.bookingId), result.until, job);
        return 'rearmed';
      case 'released':
        for (const booking of result.updated)
          this.bookingEvents.emit('booking.changed', { booking, previous: result.booking });
        this.track(this.announceReleases(result.releases));
        return 'released';
    }
  }

  /**
   * Inside the decision's transaction: the bookings give up their slots, their one release row each is written, and
   * so are the webhook deliveries announcing them.
   */
  private async releaseMany(
    tx: Queryable,
    siteId: string,
    decided: { booking: Booking; decidedAt: Date }[],
    reason: ReleaseReason,
  ): Promise<{ updated: Booking[]; releases: StagedReleases }> {
    const updated = await this.bookingsRepo.setStatusMany(
      tx,
      siteId,
      decided.map(({ booking }) => ({ id: booking.id, status: 'released' as const, checkedInAt: null })),
    );
    const recorded = await this.repo.insertReleases(
      tx,
      decided.map(({ booking, decidedAt }) => ({
        releaseId: `rel_${booking.siteId}_${booking.id}`,
        siteId: booking.siteId,
        bookingId: booking.id,
        resourceId: booking.resourceId,
        memberId: booking.memberId,
        reason,
        bookingStart: booking.start.toISOString(),
        bookingEnd: booking.end.toISOString(),
        decidedAt: decidedAt.toISOString(),
      })),
    );
    return { updated, releases: await this.publisher.stage(tx, recorded) };
  }

  /** After commit: the releases are handed to their sinks together. */
  private async announceReleases(staged: StagedReleases): Promise<void> {
    const { releases } = staged;
    if (releases.length === 0) return;
    if (releases.length === 1)
      this.logger.log(
        `released booking ${releases[0].bookingId} (${releases[0].resourceId}): ${releases[0].reason}`,
      );
    else this.logger.log(`released ${releases.length} bookings`);
    await this.publisher.publishStaged(staged);
  }

  private async arm(booking: Booking): Promise<void> {
    const key = timerKey(booking.siteId, booking.id);
    if (booking.status !== 'confirmed') return this.timers.disarm(key);
    const policy = await this.policies.policyFor(booking.siteId, booking.resourceId);
    const { to } = checkInWindow(booking, policy);
    await this.timers.arm(key, to, {
      siteId: booking.siteId,
      bookingId: booking.id,
      version: booking.version,
    });
  }

  /** Only presence and granted door events can be evidence; everything else is dropped before it queues. */
  private hearEvidence(events: PlatformEvent[]): void {
    const relevant = events.filter((event) => evidenceOf(event) !== null);
    if (relevant.length === 0) return;
    this.evidenceQueue.push(...relevant);
    if (this.evidenceRun) return;
    this.evidenceRun = (async () => {
      try {
        while (this.evidenceQueue.length > 0) {
          const batch = this.evidenceQueue;
          this.evidenceQueue = [];
          await this.takeEvidence(batch).catch((error: Error) =>
            this.logger.error(`no-show engine: ${error.message}`),
          );
        }
      } finally {
        this.evidenceRun = undefined;
      }
    })();
    this.track(this.evidenceRun);
  }

  /**
   * Presence in a booked resource, or the booker's badge at one of its doors, checks the booking in as soon as it is
   * stored, so the floor map shows it attended before grace ends. The timer's decision stays the authority. One
   * query per site and batch finds the candidate bookings: a query per event capped ingest of presence traffic.
   */
  private async takeEvidence(events: PlatformEvent[]): Promise<void> {
    const bySite = new Map<string, Evidence[]>();
    for (const event of events) {
      const evidence = evidenceOf(event);
      if (!evidence) continue;
      const list = bySite.get(event.siteId) ?? [];
      list.push(evidence);
      bySite.set(event.siteId, list);
    }
    for (const [siteId, evidence] of bySite) {
      const resources = [...new Set(evidence.flatMap((e) => e.resourceIds))];
      let min = Infinity;
      let max = -Infinity;
      for (const e of evidence) {
        min = Math.min(min, e.ts.getTime());
        max = Math.max(max, e.ts.getTime());
      }
      // The widest default window finds candidates; each booking's own policy then decides.
      const candidates = await this.bookingsRepo.findStartingBetween(
        siteId,
        resources,
        new Date(min - DEFAULT_POLICY.graceMs * 4),
        new Date(max + DEFAULT_POLICY.earlyMs * 4),
      );
      if (candidates.length === 0) continue;
      const policyOf = await this.policies.forSite(siteId);
      for (const booking of candidates) {
        const { from, to } = checkInWindow(booking, policyOf(booking.resourceId));
        let first: Date | undefined;
        for (const e of evidence) {
          if (!e.resourceIds.includes(booking.resourceId)) continue;
          if (e.member !== null && e.member !== booking.memberId) continue;
          if (e.ts < from || e.ts > to) continue;
          if (!first || e.ts < first) first = e.ts;
        }
        if (first) await this.bookings.checkIn(booking.siteId, booking.id, first);
      }
    }
  }

  private track(work: Promise<unknown>): void {
    const guarded = work.catch((error: Error) => this.logger.error(`no-show engine: ${error.message}`));
    this.inFlight.add(guarded);
    void guarded.finally(() => this.inFlight.delete(guarded));
  }
}

function evidenceOf(event: PlatformEvent): Evidence | null {
  if (event.type === 'sensor') {
    const { kind, value } = event.payload;
    const present =
      (kind === 'presence' && value === 1) || ((kind === 'people_in' || kind === 'count') && value > 0);
    return present && event.resourceId
      ? { resourceIds: [event.resourceId], member: null, ts: event.ts }
      : null;
  }
  if (event.type === 'door' && event.payload.result === 'granted' && event.payload.member)
    return { resourceIds: event.resourceIds, member: event.payload.member, ts: event.ts };
  return null;
}
