import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { Booking, BookingsEvents, BookingsRepository } from '@cw/booking';
import { Clock } from '@cw/common';
import { OccupancyDelta, OccupancySnapshot, PlatformEvent, ResourceState } from '@cw/events';
import { StoredEventsBus } from '@cw/ingest';
import { SitesService } from '@cw/sites';
import { ChangeLogWriter } from './change-log.writer';
import { OccupancyRepository } from './occupancy.repository';
import { OCCUPANCY_SINKS, OccupancySink } from './occupancy.sinks';
import { BookingHomes } from './booking-homes';
import {
  applyCounter,
  applyDoor,
  applyPresence,
  BookingMemory,
  DEFAULT_RULES,
  emptyModel,
  forgetPast,
  removeBooking,
  resetCounter,
  resolveState,
  ResourceModel,
  upsertBooking,
} from './resource-model';
import { lastClosingTime, nextClosingTime, WeeklySlot } from './site-hours';

interface TrackedResource {
  model: ResourceModel;
  current: ResourceState;
  /** Door events count as presence only for small rooms without their own presence sensor. */
  doorEvidence: boolean;
  nextChangeAt: number | null;
}

interface SiteModel {
  resources: Map<string, TrackedResource>;
  /** Which resource's model holds each booking, so a booking change finds it without searching the whole site. */
  bookingHomes: BookingHomes;
  timeZone: string;
  openingHours: WeeklySlot[];
  /** The next site close, when people counters go back to 0; null for a site without opening hours. */
  nextCloseAt: number | null;
}

const SMALL_ROOM_KINDS = new Set(['phone_booth', 'meeting_room']);
const SMALL_ROOM_CAPACITY = 6;

/**
 * Every resource's state, live: evidence from stored events and bookings in, state changes out (socket.io, retained
 * MQTT, then `occupancy_changes`). A site's model is rebuilt from the database on first use, so a restart loses
 * nothing. Steps never wait on the database once a site is loaded: deltas leave at once and the change log is
 * written behind them in batches.
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
  private readonly sinkWork = new Set<Promise<unknown>>();

  constructor(
    private readonly repo: OccupancyRepository,
    private readonly changeLog: ChangeLogWriter,
    private readonly sitesService: SitesService,
    private readonly bookingsRepo: BookingsRepository,
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
        // A clock set elsewhere (a simulation) may have jumped past a close or back before one.
        const now = this.clock.now().getTime();
        for (const site of this.loaded.values()) {
          site.nextCloseAt = nextClosingTime(site.openingHours, site.timeZone, now);
          const lastClose = lastClosingTime(site.openingHours, site.timeZone, now);
          for (const { model } of site.resources.values()) {
            // Back before the last reset: counts from the new present on must count again.
            if (model.countResetAt > now) model.countResetAt = lastClose ?? 0;
            else if (lastClose !== null) resetCounter(model, lastClose);
          }
        }
        this.timerAt = null;
        void this.serial(async () => {
          for (const [siteId, site] of this.loaded) await this.evaluateSite(siteId, site);
        });
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

  /** Resolves when everything heard so far has been applied, announced and logged (tests, shutdown). */
  async settled(): Promise<void> {
    let current: Promise<unknown>;
    do {
      current = this.work;
      await current;
      await Promise.all([...this.sinkWork]);
    } while (current !== this.work);
    await this.changeLog.flush();
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
    // The last states must be on disk before they are read back as the starting point.
    await this.changeLog.flush();
    const now = this.clock.now();
    const [settings, resources, devices, previous, bookings, presence] = await Promise.all([
      this.sitesService.getSite(siteId),
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
    const site: SiteModel = {
      resources: new Map(),
      bookingHomes: new BookingHomes(),
      timeZone: settings.timeZone,
      openingHours: settings.openingHours,
      nextCloseAt: nextClosingTime(settings.openingHours, settings.timeZone, now.getTime()),
    };
    const lastClose = lastClosingTime(settings.openingHours, settings.timeZone, now.getTime());
    for (const resource of resources) {
      const model = emptyModel();
      if (lastClose !== null) model.countResetAt = lastClose;
      site.resources.set(resource.id, {
        model,
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
    for (const booking of bookings) fileBooking(site, booking);
    return site;
  }

  private async onEvents(events: PlatformEvent[]): Promise<void> {
    const touched = new Map<string, Set<string>>();
    for (const event of events) {
      const site = this.loaded.get(event.siteId) ?? (await this.site(event.siteId));
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
      this.evaluate(siteId, this.loaded.get(siteId) ?? (await this.site(siteId)), [...resourceIds]);
  }

  /** Only the resources the booking was on and is on now can change state: evaluating the whole site per booking
   * change made a burst of releases quadratic in the size of the site (and so did searching it for the booking). */
  private async onBooking(booking: Booking): Promise<void> {
    const site = this.loaded.get(booking.siteId) ?? (await this.site(booking.siteId));
    const touched = new Set<string>([booking.resourceId]);
    const home = site.bookingHomes.take(booking.id);
    if (home !== undefined) {
      const tracked = site.resources.get(home);
      if (tracked) removeBooking(tracked.model, booking.id);
      touched.add(home);
    }
    fileBooking(site, booking, this.clock.now().getTime());
    this.evaluate(booking.siteId, site, [...touched]);
  }

  private evaluateSite(siteId: string, site: SiteModel): Promise<void> {
    this.evaluate(siteId, site, [...site.resources.keys()]);
    return Promise.resolve();
  }

  /** Synchronous on purpose: a step that awaited its own announcements would hold every later change behind it. */
  private evaluate(siteId: string, site: SiteModel, resourceIds: string[]): void {
    const now = this.clock.now().getTime();
    if (site.nextCloseAt !== null && now >= site.nextCloseAt) {
      for (const tracked of site.resources.values()) resetCounter(tracked.model, site.nextCloseAt);
      site.nextCloseAt = nextClosingTime(site.openingHours, site.timeZone, now);
      resourceIds = [...site.resources.keys()];
    }
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
      // Sinks are called in order, so each transport sends a resource's changes in the order they happened.
      for (const change of changes) for (const sink of this.sinks) this.announce(sink, change);
      this.changeLog.record(changes);
    }
    this.rearm();
  }

  private announce(sink: OccupancySink, change: OccupancyDelta): void {
    const sent = sink
      .changed(change)
      .catch((error: Error) => this.logger.warn(`${sink.name} missed a state change: ${error.message}`));
    this.sinkWork.add(sent);
    void sent.finally(() => this.sinkWork.delete(sent));
  }

  /** One timer for the whole engine: the earliest moment any resource's state can change on its own. */
  private rearm(): void {
    let earliest: number | null = null;
    const consider = (at: number | null) => {
      if (at !== null && (earliest === null || at < earliest)) earliest = at;
    };
    for (const site of this.loaded.values()) {
      consider(site.nextCloseAt);
      for (const tracked of site.resources.values()) consider(tracked.nextChangeAt);
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

/** Puts a booking in its resource's model and notes where it went. */
function fileBooking(site: SiteModel, booking: Booking, now?: number): void {
  const tracked = site.resources.get(booking.resourceId);
  if (!tracked) return;
  upsertBooking(tracked.model, remember(booking));
  site.bookingHomes.note(booking.id, booking.resourceId, booking.end.getTime(), now);
}

function remember(booking: Booking): BookingMemory {
  return {
    id: booking.id,
    start: booking.start.getTime(),
    end: booking.end.getTime(),
    status: booking.status,
  };
}
