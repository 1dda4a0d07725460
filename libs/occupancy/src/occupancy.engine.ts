import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { Booking, BookingsEvents, BookingsRepository } from '@cw/booking';
import { Clock } from '@cw/common';
import { OccupancyDelta, OccupancySnapshot, PlatformEvent, ResourceState } from '@cw/events';
import { StoredEventsBus } from '@cw/ingest';
import { checkInWindow, NoShowRepository } from '@cw/noshow';
import { SitesService } from '@cw/sites';
import { OccupancyRepository } from './occupancy.repository';
import { OCCUPANCY_SINKS, OccupancySink } from './occupancy.sinks';
import {
  applyCounter,
  applyDoor,
  applyPresence,
  BookingMemory,
  DEFAULT_RULES,
  emptyModel,
  forgetPast,
  removeBooking,
  resolveState,
  ResourceModel,
  upsertBooking,
} from './resource-model';

interface TrackedResource {
  model: ResourceModel;
  current: ResourceState;
  /** Door events count as presence only for small rooms without their own presence sensor. */
  doorEvidence: boolean;
  nextChangeAt: number | null;
}

interface SiteModel {
  resources: Map<string, TrackedResource>;
}

const SMALL_ROOM_KINDS = new Set(['phone_booth', 'meeting_room']);
const SMALL_ROOM_CAPACITY = 6;

/**
 * Every resource's state, live: evidence from stored events and bookings in, state changes out (occupancy_changes,
 * socket.io, retained MQTT). A site's model is rebuilt from the database on first use, so a restart loses nothing.
 */
@Injectable()
export class OccupancyEngine implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(OccupancyEngine.name);
  private readonly sites = new Map<string, Promise<SiteModel>>();
  private readonly loaded = new Map<string, SiteModel>();
  private readonly unsubscribe: (() => void)[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt: number | null = null;
  private work: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly repo: OccupancyRepository,
    private readonly sitesService: SitesService,
    private readonly bookingsRepo: BookingsRepository,
    private readonly noshow: NoShowRepository,
    private readonly bus: StoredEventsBus,
    private readonly bookingEvents: BookingsEvents,
    private readonly clock: Clock,
    @Optional() @Inject(OCCUPANCY_SINKS) private readonly sinks: OccupancySink[] = [],
  ) {}

  onModuleInit(): void {
    this.unsubscribe.push(
      this.bus.on('stored', (events) => void this.serial(() => this.onEvents(events))),
      this.bookingEvents.on(
        'booking.changed',
        ({ booking }) => void this.serial(() => this.onBooking(booking)),
      ),
      this.clock.on('changed', () => {
        this.timerAt = null;
        this.rearm();
      }),
      this.sitesService.onSiteChanged((siteId) => {
        this.sites.delete(siteId);
        this.loaded.delete(siteId);
      }),
    );
  }

  onModuleDestroy(): void {
    this.unsubscribe.forEach((off) => off());
    if (this.timer) clearTimeout(this.timer);
  }

  /** Resolves when everything heard so far has been applied (tests, shutdown). */
  async settled(): Promise<void> {
    let current: Promise<unknown>;
    do {
      current = this.work;
      await current;
    } while (current !== this.work);
  }

  async snapshot(siteId: string): Promise<OccupancySnapshot> {
    const site = await this.site(siteId);
    await this.serial(() => this.evaluateSite(siteId, site));
    return {
      siteId,
      at: this.clock.now().toISOString(),
      resources: [...site.resources.values()]
        .map((r) => r.current)
        .sort((a, b) => a.resourceId.localeCompare(b.resourceId)),
    };
  }

  /** One change at a time: state transitions are computed in the order their causes arrived. */
  private serial(step: () => Promise<unknown>): Promise<void> {
    const next = this.work.then(step).then(
      () => undefined,
      (error: Error) => this.logger.error(`occupancy engine: ${error.message}`),
    );
    this.work = next;
    return next;
  }

  private site(siteId: string): Promise<SiteModel> {
    let loading = this.sites.get(siteId);
    if (!loading) {
      loading = this.load(siteId);
      loading.then(
        (site) => this.loaded.set(siteId, site),
        () => this.sites.delete(siteId),
      );
      this.sites.set(siteId, loading);
    }
    return loading;
  }

  private async load(siteId: string): Promise<SiteModel> {
    const now = this.clock.now();
    const [resources, devices, previous, bookings, presence] = await Promise.all([
      this.sitesService.listResources(siteId),
      this.sitesService.listDevices(siteId),
      this.repo.latestStates(siteId),
      this.bookingsRepo.listForSite(
        siteId,
        new Date(now.getTime() - 3600_000),
        new Date(now.getTime() + 2 * 86_400_000),
      ),
      this.repo.recentPresence(
        siteId,
        new Date(now.getTime() - DEFAULT_RULES.holdMs - DEFAULT_RULES.debounceMs),
      ),
    ]);
    const sensed = new Set(devices.filter((d) => d.type === 'sensor').flatMap((d) => d.resourceIds));
    const before = new Map(previous.map((s) => [s.resourceId, s]));
    const site: SiteModel = { resources: new Map() };
    for (const resource of resources) {
      site.resources.set(resource.id, {
        model: emptyModel(),
        doorEvidence:
          SMALL_ROOM_KINDS.has(resource.kind) &&
          resource.capacity <= SMALL_ROOM_CAPACITY &&
          !sensed.has(resource.id),
        nextChangeAt: null,
        current: before.get(resource.id) ?? {
          siteId,
          resourceId: resource.id,
          state: 'free',
          occupancy: null,
          bookingId: null,
          since: now.toISOString(),
        },
      });
    }
    for (const reading of presence) {
      const tracked = site.resources.get(reading.resource_id);
      if (tracked)
        applyPresence(tracked.model, reading.sensor_id, reading.value, new Date(reading.ts).getTime());
    }
    for (const booking of bookings) {
      const tracked = site.resources.get(booking.resourceId);
      if (tracked) upsertBooking(tracked.model, await this.remember(booking));
    }
    return site;
  }

  private async remember(booking: Booking): Promise<BookingMemory> {
    const policy = await this.noshow.policyFor(booking.siteId, booking.resourceId);
    return {
      id: booking.id,
      start: booking.start.getTime(),
      end: booking.end.getTime(),
      graceEnd: checkInWindow(booking, policy).to.getTime(),
      status: booking.status,
    };
  }

  private async onEvents(events: PlatformEvent[]): Promise<void> {
    const touched = new Map<string, Set<string>>();
    for (const event of events) {
      const site = await this.site(event.siteId);
      const ts = event.ts.getTime();
      const mark = (resourceId: string) => {
        const set = touched.get(event.siteId) ?? new Set<string>();
        set.add(resourceId);
        touched.set(event.siteId, set);
      };
      if (event.type === 'sensor' && event.resourceId) {
        const tracked = site.resources.get(event.resourceId);
        if (!tracked) continue;
        const { kind, value } = event.payload;
        if (kind === 'presence') applyPresence(tracked.model, event.sensorId, value, ts);
        else if (kind === 'people_in' || kind === 'people_out' || kind === 'count')
          applyCounter(tracked.model, kind, value, ts);
        else continue;
        mark(event.resourceId);
      } else if (event.type === 'door' && event.payload.result === 'granted') {
        for (const resourceId of event.resourceIds) {
          const tracked = site.resources.get(resourceId);
          if (!tracked?.doorEvidence || event.payload.direction === 'out') continue;
          applyDoor(tracked.model, ts);
          mark(resourceId);
        }
      }
    }
    for (const [siteId, resourceIds] of touched)
      await this.evaluate(siteId, await this.site(siteId), [...resourceIds]);
  }

  /** Only the resources the booking was on and is on now can change state: evaluating the whole site per booking
   * change made a burst of releases quadratic in the size of the site. */
  private async onBooking(booking: Booking): Promise<void> {
    const site = await this.site(booking.siteId);
    const touched = new Set<string>([booking.resourceId]);
    for (const [resourceId, tracked] of site.resources) {
      if (tracked.model.bookings.some((b) => b.id === booking.id)) {
        removeBooking(tracked.model, booking.id);
        touched.add(resourceId);
      }
    }
    const tracked = site.resources.get(booking.resourceId);
    if (tracked) upsertBooking(tracked.model, await this.remember(booking));
    await this.evaluate(booking.siteId, site, [...touched]);
  }

  private evaluateSite(siteId: string, site: SiteModel): Promise<void> {
    return this.evaluate(siteId, site, [...site.resources.keys()]);
  }

  private async evaluate(siteId: string, site: SiteModel, resourceIds: string[]): Promise<void> {
    const now = this.clock.now().getTime();
    const changes: OccupancyDelta[] = [];
    for (const resourceId of resourceIds) {
      const tracked = site.resources.get(resourceId);
      if (!tracked) continue;
      forgetPast(tracked.model, now);
      const resolved = resolveState(tracked.model, now);
      tracked.nextChangeAt = resolved.nextChangeAt;
      const was = tracked.current;
      if (
        was.state === resolved.state &&
        was.occupancy === resolved.occupancy &&
        was.bookingId === resolved.bookingId
      )
        continue;
      const next: ResourceState = {
        siteId,
        resourceId,
        state: resolved.state,
        occupancy: resolved.occupancy,
        bookingId: resolved.bookingId,
        since: new Date(now).toISOString(),
      };
      tracked.current = next;
      changes.push({ ...next, previous: was.state });
    }
    if (changes.length) {
      await this.repo.recordChanges(changes);
      for (const change of changes) {
        const results = await Promise.allSettled(this.sinks.map((sink) => sink.changed(change)));
        results.forEach(
          (r, i) =>
            r.status === 'rejected' &&
            this.logger.warn(`${this.sinks[i].name} missed a state change: ${(r.reason as Error).message}`),
        );
      }
    }
    this.rearm();
  }

  /** One timer for the whole engine: the earliest moment any resource's state can change on its own. */
  private rearm(): void {
    let earliest: number | null = null;
    for (const site of this.loaded.values()) {
      for (const tracked of site.resources.values()) {
        if (tracked.nextChangeAt !== null && (earliest === null || tracked.nextChangeAt < earliest))
          earliest = tracked.nextChangeAt;
      }
    }
    this.schedule(earliest);
  }

  private schedule(at: number | null): void {
    if (at === null || (this.timerAt !== null && this.timerAt <= at && this.timer)) return;
    // A timer set for a later moment is replaced by this earlier one.
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = null;
        void this.serial(async () => {
          for (const [siteId, site] of this.loaded) await this.evaluateSite(siteId, site);
        });
      },
      // Real milliseconds until the clock reads `at`: a simulation may run the clock faster than the wall.
      Math.min(this.clock.delayUntil(new Date(at)), 2 ** 31 - 1) + 5,
    );
    this.timer.unref?.();
  }
}
