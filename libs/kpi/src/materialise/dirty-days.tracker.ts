import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { BookingsEvents } from '@cw/booking';
import { StoredEventsBus } from '@cw/ingest';
import { SitesService } from '@cw/sites';
import { localDate } from '../time/zoned';
import { MaterialiseRepository } from './materialise.repository';

const FLUSH_MS = 2000;

/**
 * Remembers which local days received evidence or booking changes, so the materialiser re-derives only those. Kept
 * in memory for a moment and written as one upsert per site, so ingest pays nothing per event.
 */
@Injectable()
export class DirtyDaysTracker implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(DirtyDaysTracker.name);
  private readonly pending = new Map<string, Set<string>>();
  private readonly zones = new Map<string, string>();
  private readonly unsubscribe: (() => void)[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly bus: StoredEventsBus,
    private readonly bookings: BookingsEvents,
    private readonly sites: SitesService,
    private readonly repo: MaterialiseRepository,
  ) {}

  onModuleInit(): void {
    this.unsubscribe.push(
      this.bus.on('stored', (events) => {
        for (const e of events) this.note(e.siteId, [e.ts.getTime()]);
      }),
      this.bookings.on('booking.changed', ({ booking, previous }) => {
        this.note(booking.siteId, [booking.start.getTime(), booking.end.getTime() - 1]);
        if (previous) this.note(previous.siteId, [previous.start.getTime(), previous.end.getTime() - 1]);
      }),
      this.sites.onSiteChanged((siteId) => this.zones.delete(siteId)),
    );
  }

  async onModuleDestroy(): Promise<void> {
    this.unsubscribe.forEach((off) => off());
    await this.flush();
  }

  /** Writes what is pending (tests call it before materialising). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.pending];
    this.pending.clear();
    const write = this.writing.then(async () => {
      for (const [siteId, instants] of batch) {
        try {
          const zone = await this.zoneOf(siteId);
          const days = new Set<string>();
          for (const t of instants) days.add(localDate(Number(t), zone));
          await this.repo.markDirty(siteId, [...days]);
        } catch (error) {
          this.logger.warn(`could not mark KPI days of ${siteId}: ${(error as Error).message}`);
        }
      }
    });
    this.writing = write;
    await write;
  }

  /** Instants are reduced to hours here; the zone lookup happens at flush time. */
  private note(siteId: string, instants: number[]): void {
    let set = this.pending.get(siteId);
    if (!set) this.pending.set(siteId, (set = new Set()));
    for (const t of instants) set.add(String(Math.floor(t / 3_600_000) * 3_600_000));
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
    this.timer.unref?.();
  }

  private async zoneOf(siteId: string): Promise<string> {
    let zone = this.zones.get(siteId);
    if (!zone) {
      zone = (await this.sites.getSite(siteId)).timeZone;
      this.zones.set(siteId, zone);
    }
    return zone;
  }
}
