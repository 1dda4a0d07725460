import { Injectable } from '@nestjs/common';
import { Clock, notFound } from '@cw/common';
import { ResourceRecord, SiteRecord, SitesService } from '@cw/sites';
import { EVIDENCE_RULES } from './materialise/evidence-rules';
import {
  addInputs,
  computeKpis,
  emptyInputs,
  heatmap,
  KpiInputs,
  known,
  NullReason,
  unknown,
} from './formulas';
import { KpiContext, KpiProviderRegistry } from './kpi-providers';
import { KpiRepository, LocalRange, PeopleRow } from './kpi.repository';
import { KindKpis, KpiFigures, ResourceKpis, SiteKpis, UtilisationForecast } from './kpi.types';
import { kindPeak, PeakKpi, resourcePeak } from './peaks';
import {
  clip,
  hasOpeningHours,
  openIntervalsOver,
  openSecondsByHourOfWeek,
  totalMs,
  versionsOver,
} from './time/opening-hours';
import { LocalPeriod, periodOf, PeriodKind } from './time/period';
import { addDays, localDate, zonedInstant } from './time/zoned';

const MINUTE = 60;

/** Resources whose occupancy the platform can see: a presence sensor, or a door for a small room without one. */
export function sensedResources(site: SiteRecord): Set<string> {
  const sensors = new Set(site.devices.filter((d) => d.type === 'sensor').flatMap((d) => d.resourceIds));
  const doors = new Set(site.devices.filter((d) => d.type === 'door').flatMap((d) => d.resourceIds));
  const doorKinds: readonly string[] = EVIDENCE_RULES.doorKinds;
  return new Set(
    site.resources
      .filter(
        (r) =>
          sensors.has(r.id) ||
          (doors.has(r.id) && doorKinds.includes(r.kind) && r.capacity <= EVIDENCE_RULES.doorMaxCapacity),
      )
      .map((r) => r.id),
  );
}

export interface KpiQuery {
  period: PeriodKind;
  date: string;
  /** Adds the hour-of-week heatmap of these resources. */
  resources?: string[];
}

/**
 * The KPIs of a site and a local period, from the continuous aggregates. The report generator and the pricing
 * forecast use this service; other modules add KPIs through KpiProviderRegistry.
 */
@Injectable()
export class KpiService {
  constructor(
    private readonly repo: KpiRepository,
    private readonly sites: SitesService,
    private readonly clock: Clock,
    private readonly providers: KpiProviderRegistry,
  ) {}

  async siteKpis(siteId: string, query: KpiQuery): Promise<SiteKpis> {
    // Each past day is measured against the opening hours it had, not today's.
    const [site, hoursHistory] = await Promise.all([
      this.sites.getSite(siteId),
      this.sites.openingHoursHistory(siteId),
    ]);
    const period = periodOf(query.period, query.date);
    const now = this.clock.now();
    const start = zonedInstant(period.from, 0, site.timeZone);
    const end = zonedInstant(addDays(period.to, 1), 0, site.timeZone);
    const until = Math.min(end, now.getTime());
    const header = {
      siteId,
      timeZone: site.timeZone,
      period: {
        kind: period.kind,
        date: query.date,
        from: period.from,
        to: period.to,
        start: new Date(start).toISOString(),
        end: new Date(end).toISOString(),
      },
      asOf: new Date(Math.max(start, until)).toISOString(),
      complete: end <= now.getTime(),
    };
    const sensed = sensedResources(site);
    if (start >= now.getTime()) return { ...header, ...this.allUnknown(site, sensed, 'period_in_future') };

    const lastDate = localDate(until - 1, site.timeZone);
    const range: LocalRange = {
      siteId,
      fromDate: period.from,
      toDate: lastDate < period.to ? lastDate : period.to,
      from: new Date(start),
      to: new Date(until),
    };
    const open = clip(openIntervalsOver(hoursHistory, site.timeZone, period.from, period.to), start, until);
    const openMinutes = totalMs(open) / 60_000;
    const [totals, bookings, peak, people, counters, kindHours, resourceHours, extra] = await Promise.all([
      this.repo.resourceTotals(range),
      this.repo.bookingCounts(siteId, range.from, range.to),
      this.repo.peakPeople(siteId, range.from, range.to),
      this.repo.peoplePeaks(siteId, range.from, range.to),
      this.repo.peopleCounters(siteId, range.to),
      this.repo.kindHourOfWeek(range),
      query.resources?.length ? this.repo.resourceHourOfWeek(range, query.resources) : Promise.resolve(null),
      this.extra({
        siteId,
        timeZone: site.timeZone,
        currency: site.currency,
        period,
        from: range.from,
        to: range.to,
        now,
      }),
    ]);
    const byResource = new Map(totals.map((t) => [t.resourceId, t]));
    const counts = new Map(bookings.map((b) => [b.resourceId, b]));
    const context = {
      hasOpeningHours: versionsOver(hoursHistory, period.from, period.to).some((v) =>
        hasOpeningHours(v.hours),
      ),
    };
    const closed: NullReason | null =
      openMinutes > 0 ? null : context.hasOpeningHours ? 'closed' : 'no_opening_hours';
    const peaks = new Map<string, PeopleRow>(people.map((p) => [`${p.kind}/${p.resourceId ?? ''}`, p]));
    const peakOf = (resourceId: string | null, kind: string) => peaks.get(`${kind}/${resourceId ?? ''}`);

    const resources: ResourceKpis[] = site.resources.map((r) => {
      const t = byResource.get(r.id);
      const c = counts.get(r.id);
      const isSensed = sensed.has(r.id);
      const inputs: KpiInputs = {
        openMinutes,
        sensedOpenMinutes: isSensed ? openMinutes : 0,
        occupiedMinutes: isSensed ? (t?.occupiedS ?? 0) / MINUTE : 0,
        bookedMinutes: (t?.bookedS ?? 0) / MINUTE,
        usedMinutes: isSensed ? (t?.usedS ?? 0) / MINUTE : 0,
        sensedBookedMinutes: isSensed ? (t?.bookedS ?? 0) / MINUTE : 0,
        bookingsStarted: c?.started ?? 0,
        noShows: c?.noShows ?? 0,
      };
      return {
        resourceId: r.id,
        name: r.name,
        kind: r.kind,
        sensed: isSensed,
        ...this.figures(
          inputs,
          { ...context, noSensors: !isSensed },
          resourcePeak(
            {
              row: peakOf(r.id, r.kind),
              counter: counters.has(r.id),
              sensed: isSensed,
              capacity: r.capacity,
            },
            closed,
          ),
        ),
      };
    });

    const openByHow = openSecondsByHourOfWeek(open, site.timeZone);
    const kinds: KindKpis[] = [];
    const kindHeat: Record<string, (number | null)[]> = {};
    for (const kind of [...new Set(site.resources.map((r) => r.kind))].sort()) {
      const members = resources.filter((r) => r.kind === kind);
      const sensedCount = members.filter((r) => r.sensed).length;
      const inputs = members.reduce((sum, r) => addInputs(sum, r.totals), emptyInputs());
      inputs.openMinutes = openMinutes * members.length;
      const memberPeaks: PeakKpi[] = members.map((r) => r.peakOccupancy);
      kinds.push({
        kind,
        resources: members.length,
        sensedResources: sensedCount,
        countedResources: memberPeaks.filter((p) => p.value !== null).length,
        ...this.figures(
          inputs,
          { ...context, noSensors: sensedCount === 0 },
          kindPeak(peakOf(null, kind), memberPeaks, closed),
        ),
      });
      kindHeat[kind] = heatmap(this.hoursOf(kindHours, kind), openByHow, sensedCount);
    }

    const siteInputs = resources.reduce((sum, r) => addInputs(sum, r.totals), emptyInputs());
    siteInputs.openMinutes = openMinutes * resources.length;
    const sensedTotal = resources.filter((r) => r.sensed).length;
    const peakKpi = this.sitePeak(site, peak);
    const siteHours = new Array<number>(168).fill(0);
    for (const row of kindHours) siteHours[row.how] += row.occupiedS;

    return {
      ...header,
      site: this.figures(siteInputs, { ...context, noSensors: sensedTotal === 0 }, peakKpi),
      kinds,
      resources,
      heatmap: {
        site: heatmap(siteHours, openByHow, sensedTotal),
        kinds: kindHeat,
        ...(resourceHours
          ? {
              resources: Object.fromEntries(
                (query.resources ?? []).map((id) => [
                  id,
                  heatmap(this.hoursOf(resourceHours, id), openByHow, sensed.has(id) ? 1 : 0),
                ]),
              ),
            }
          : {}),
      },
      extra,
    };
  }

  /**
   * Expected utilisation per local hour of week of a resource or a kind: what the last `weeks` full weeks before
   * `asOf` saw, hour by hour (occupied seconds over open seconds of the sensed resources). Dynamic pricing reads it.
   */
  async forecastUtilisation(
    siteId: string,
    target: { resourceId: string } | { kind: string },
    weeks: number,
    asOf: Date = this.clock.now(),
  ): Promise<UtilisationForecast> {
    const [site, hoursHistory] = await Promise.all([
      this.sites.getSite(siteId),
      this.sites.openingHoursHistory(siteId),
    ]);
    const sensed = sensedResources(site);
    const members: ResourceRecord[] =
      'resourceId' in target
        ? site.resources.filter((r) => r.id === target.resourceId)
        : site.resources.filter((r) => r.kind === target.kind);
    if ('resourceId' in target && members.length === 0) throw notFound(`resource ${target.resourceId}`);
    const today = localDate(asOf.getTime(), site.timeZone);
    const fromDate = addDays(today, -7 * weeks);
    const from = zonedInstant(fromDate, 0, site.timeZone);
    const to = zonedInstant(today, 0, site.timeZone);
    const open = openIntervalsOver(hoursHistory, site.timeZone, fromDate, addDays(today, -1));
    const occupied = await this.repo.occupancyByHourOfWeek(siteId, target, new Date(from), new Date(to));
    const sensedCount = members.filter((r) => sensed.has(r.id)).length;
    return {
      siteId,
      target,
      weeks,
      basis: { from: new Date(from).toISOString(), to: new Date(to).toISOString() },
      hourOfWeek: heatmap(occupied, openSecondsByHourOfWeek(open, site.timeZone), sensedCount),
    };
  }

  private figures(
    inputs: KpiInputs,
    context: { hasOpeningHours: boolean; noSensors: boolean },
    peak: PeakKpi,
  ) {
    const set = computeKpis(inputs, context);
    return { ...set, peakOccupancy: peak, totals: roundTotals(set.totals) } satisfies KpiFigures;
  }

  private sitePeak(site: SiteRecord, peak: { people: number; at: Date } | null): KpiFigures['peakOccupancy'] {
    const counters = site.devices.some((d) => d.type === 'sensor' && d.resourceIds.length === 0);
    if (!counters) return unknown('no_people_counter');
    if (!peak) return known(0);
    return { ...known(peak.people), at: peak.at.toISOString() };
  }

  private hoursOf(rows: { group: string; how: number; occupiedS: number }[], group: string): number[] {
    const out = new Array<number>(168).fill(0);
    for (const row of rows) if (row.group === group) out[row.how] += row.occupiedS;
    return out;
  }

  private allUnknown(
    site: SiteRecord,
    sensed: Set<string>,
    reason: 'period_in_future',
  ): Pick<SiteKpis, 'site' | 'kinds' | 'resources' | 'heatmap' | 'extra'> {
    const none = (): KpiFigures => ({
      utilisation: unknown(reason),
      bookingRate: unknown(reason),
      bookedVsUsed: unknown(reason),
      noShowRate: unknown(reason),
      peakOccupancy: unknown(reason),
      totals: emptyInputs(),
    });
    const kinds = [...new Set(site.resources.map((r) => r.kind))].sort();
    return {
      site: none(),
      kinds: kinds.map((kind) => ({
        kind,
        resources: site.resources.filter((r) => r.kind === kind).length,
        sensedResources: site.resources.filter((r) => r.kind === kind && sensed.has(r.id)).length,
        countedResources: 0,
        ...none(),
      })),
      resources: site.resources.map((r) => ({
        resourceId: r.id,
        name: r.name,
        kind: r.kind,
        sensed: sensed.has(r.id),
        ...none(),
      })),
      heatmap: { site: new Array<null>(168).fill(null), kinds: {} },
      extra: {},
    };
  }

  private async extra(context: KpiContext): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const provider of this.providers.list()) out[provider.name] = await provider.compute(context);
    return out;
  }
}

function roundTotals(t: KpiInputs): KpiInputs {
  const out = { ...t };
  for (const key of Object.keys(out) as (keyof KpiInputs)[]) out[key] = Math.round(out[key] * 100) / 100;
  return out;
}

export type { LocalPeriod };
