import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@cw/common';
import { SitesService } from '@cw/sites';
import { clip, hoursKey, openIntervalsOver } from '../time/opening-hours';
import { addDays, localDate, zonedInstant } from '../time/zoned';
import { MaterialiseRepository } from './materialise.repository';

/** Days written per statement: a week of a large site stays a few hundred thousand intermediate rows. */
const RUN_DAYS = 7;
/** How far back a new time zone, or a site seen for the first time, re-derives the slices (retention default). */
const REDERIVE_DAYS = 400;

/** Groups sorted dates into runs of consecutive days, at most `max` long. */
export function consecutiveRuns(dates: readonly string[], max: number): string[][] {
  const runs: string[][] = [];
  for (const date of [...new Set(dates)].sort()) {
    const last = runs[runs.length - 1];
    if (last && last.length < max && addDays(last[last.length - 1], 1) === date) last.push(date);
    else runs.push([date]);
  }
  return runs;
}

/** The time zone part of a `hoursKey`. */
const zoneOfKey = (key: string): string => key.slice(0, key.indexOf('|'));

/**
 * Re-derives the KPI slices of whole local days from the raw evidence and refreshes the continuous aggregates over
 * them. Idempotent: a day written twice is the same day.
 */
@Injectable()
export class Materialiser {
  private readonly logger = new Logger(Materialiser.name);

  constructor(
    private readonly repo: MaterialiseRepository,
    private readonly sites: SitesService,
    private readonly clock: Clock,
  ) {}

  /** Writes the slices of these local days (up to now) and refreshes the aggregates over them. */
  async materialise(siteId: string, dates: readonly string[]): Promise<number> {
    const [site, hoursHistory] = await Promise.all([
      this.sites.getSite(siteId),
      this.sites.openingHoursHistory(siteId),
    ]);
    const now = this.clock.now().getTime();
    let written = 0;
    for (const run of consecutiveRuns(dates, RUN_DAYS)) {
      const from = zonedInstant(run[0], 0, site.timeZone);
      const to = Math.min(zonedInstant(addDays(run[run.length - 1], 1), 0, site.timeZone), now);
      if (to <= from) continue;
      const open = clip(
        openIntervalsOver(hoursHistory, site.timeZone, run[0], run[run.length - 1]),
        from,
        to,
      );
      await this.repo.writeSlices({
        siteId,
        timeZone: site.timeZone,
        from: new Date(from),
        to: new Date(to),
        openStarts: open.map((i) => new Date(i.start)),
        openEnds: open.map((i) => new Date(i.end)),
      });
      await this.repo.refreshAggregates(new Date(from), new Date(to));
      written += run.length;
    }
    return written;
  }

  /**
   * Marks the days to re-derive: today and yesterday always (time passes). New opening hours apply from the day they
   * were set (past days keep the hours they had, see site_opening_hours), so they need no more; a new time zone
   * moves every local day's bounds, so it re-derives everything.
   */
  async markRoutineDays(siteId: string): Promise<void> {
    const site = await this.sites.getSite(siteId);
    const now = this.clock.now();
    const today = localDate(now.getTime(), site.timeZone);
    const key = hoursKey(site.openingHours, site.timeZone);
    const known = await this.repo.siteHoursKey(siteId);
    if (known !== null && known !== key && zoneOfKey(known) === site.timeZone) {
      await this.repo.setSiteHoursKey(siteId, key);
      this.logger.log(`opening hours of ${siteId} changed: they apply from ${today}`);
    } else if (known !== key) {
      const since = new Date(now.getTime() - REDERIVE_DAYS * 86_400_000);
      const days = await this.repo.daysWithData(siteId, site.timeZone, since);
      await this.repo.markDirty(siteId, days);
      await this.repo.setSiteHoursKey(siteId, key);
      if (known !== null) this.logger.log(`time zone of ${siteId} changed: ${days.length} days to re-derive`);
    }
    await this.repo.markDirty(siteId, [addDays(today, -1), today]);
  }

  /** Works off up to `limit` dirty days; returns how many it wrote. */
  async drain(limit: number): Promise<number> {
    const dirty = await this.repo.dirtyDays(limit);
    const bySite = new Map<string, { dates: string[]; markedAt: Date }>();
    for (const d of dirty) {
      const entry = bySite.get(d.siteId) ?? { dates: [], markedAt: d.markedAt };
      entry.dates.push(d.date);
      if (d.markedAt > entry.markedAt) entry.markedAt = d.markedAt;
      bySite.set(d.siteId, entry);
    }
    let written = 0;
    for (const [siteId, { dates, markedAt }] of bySite) {
      try {
        written += await this.materialise(siteId, dates);
      } catch (error) {
        this.logger.error(`KPI slices of ${siteId} failed: ${(error as Error).message}`);
        continue;
      }
      // Days marked again after this run began stay dirty for the next one.
      await this.repo.clearDirty(siteId, dates, markedAt);
    }
    return written;
  }
}
