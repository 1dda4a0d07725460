import { performance } from 'node:perf_hooks';
import { PlatformEvent } from '@cw/events';
import { IngestRepository } from '@cw/ingest';
import { addDays, zonedInstant } from '@cw/kpi';
import {
  BookingRecord,
  minutePresence,
  MinuteSeries,
  PresenceRecord,
  Scenario,
  ScenarioEvent,
  ScenarioStream,
  TruthRecord,
  TruthSink,
} from '@cw/simulators';
import { HistoryRepository } from './history.repository';

/** What one simulated week put into the database, and how long it took. */
export interface WeekWritten {
  dates: string[];
  /** Presence readings, one per sensor and step while the site is open. */
  readings: number;
  /** Entrance door swipes, room door swipes, people-counter readings and booking events, via the ingest writer. */
  events: number;
  bookings: number;
  /** Scenario engine and minute sampling. */
  generateMs: number;
  readingsWriteMs: number;
  /** Events and bookings. */
  eventsWriteMs: number;
}

/**
 * The truth of each site-day, by local date. The stream writes a site-day's records together and closes them with
 * its `exposure` record; what comes before the first day (the run header) or after it (churn) is not needed here.
 */
class TruthByDay implements TruthSink {
  private current: TruthRecord[] = [];
  private readonly days = new Map<string, TruthRecord[]>();

  write(record: TruthRecord): void {
    if (record.type !== 'exposure') this.current.push(record);
    else {
      this.days.set(record.date, this.current);
      this.current = [];
    }
  }

  has(date: string): boolean {
    return this.days.has(date);
  }

  take(date: string): TruthRecord[] {
    const records = this.days.get(date) ?? [];
    this.days.delete(date);
    return records;
  }
}

/** Events per ingest write: one transaction each, well under the embedded database's comfortable statement size. */
const WRITE_BATCH = 5000;
const TAKE = 4000;

/**
 * A simulated history written week by week: the scenario engine decides who sits where and books what; presence
 * sensors report once a minute (or every `everyMinutes`) from that truth (the stream's own 5-minute presence reports are left out); doors,
 * people counters and the booking system's events go through the ingest writer as they were generated; the
 * bookings themselves are written as the platform would hold them after the fact.
 */
export class SimulatedHistory {
  private readonly truth = new TruthByDay();
  private readonly stream: ScenarioStream;
  private readonly resourcesOf: Map<string, string[]>;
  private carry: ScenarioEvent[] = [];
  private dayIndex = 0;

  constructor(
    scenario: Scenario,
    private readonly start: string,
    private readonly days: number,
    private readonly history: HistoryRepository,
    private readonly ingest: IngestRepository,
    private readonly everyMinutes = 1,
  ) {
    if (scenario.sites.length !== 1) throw new Error('the KPI benchmark simulates one site');
    this.stream = new ScenarioStream(scenario, { start, days, truth: this.truth });
    this.resourcesOf = new Map(scenario.sites[0].document.devices.map((d) => [d.id, d.resources]));
  }

  get site() {
    return this.stream.sites[0];
  }

  get done(): boolean {
    return this.dayIndex >= this.days;
  }

  /** Generates and writes the next (up to) seven days. */
  async nextWeek(): Promise<WeekWritten> {
    const dates: string[] = [];
    while (dates.length < 7 && this.dayIndex < this.days) dates.push(addDays(this.start, this.dayIndex++));
    const last = dates[dates.length - 1];
    const end = zonedInstant(addDays(last, 1), 0, this.site.timeZone);

    let started = performance.now();
    const events = this.eventsBefore(end, last).flatMap((e) => this.toPlatform(e));
    const series: MinuteSeries[][] = [];
    const bookings: BookingRecord[] = [];
    for (const date of dates) {
      const records = this.truth.take(date);
      const presence = records.filter((r): r is PresenceRecord => r.type === 'presence');
      series.push(minutePresence(this.site, date, presence, this.everyMinutes));
      bookings.push(...records.filter((r): r is BookingRecord => r.type === 'booking'));
    }
    const generateMs = performance.now() - started;

    started = performance.now();
    let readings = 0;
    for (const day of series) readings += await this.history.writeMinuteSeries(this.site.id, day);
    const readingsWriteMs = performance.now() - started;

    started = performance.now();
    for (let i = 0; i < events.length; i += WRITE_BATCH) {
      const batch = events.slice(i, i + WRITE_BATCH);
      await this.ingest.writeBatch(
        batch.filter((e) => e.type === 'door'),
        batch.filter((e) => e.type === 'sensor'),
        batch.filter((e) => e.type === 'booking'),
        [],
      );
    }
    const written = await this.history.writeBookings(this.site.id, bookings);
    const eventsWriteMs = performance.now() - started;
    return {
      dates,
      readings,
      events: events.length,
      bookings: written,
      generateMs,
      readingsWriteMs,
      eventsWriteMs,
    };
  }

  /** The stream's events delivered before `end`, once the truth of `last` has been generated. */
  private eventsBefore(end: number, last: string): ScenarioEvent[] {
    while (!this.stream.finished) {
      const tail = this.carry[this.carry.length - 1];
      if (this.truth.has(last) && tail && tail.sendAt >= end) break;
      this.carry.push(...this.stream.take(TAKE));
    }
    let cut = 0;
    while (cut < this.carry.length && this.carry[cut].sendAt < end) cut++;
    const events = this.carry.slice(0, cut);
    this.carry = this.carry.slice(cut);
    return events;
  }

  private toPlatform(e: ScenarioEvent): PlatformEvent[] {
    const stamps = {
      siteId: e.site,
      eventId: e.payload.id,
      ts: new Date(e.payload.ts),
      deviceTs: new Date(e.payload.ts),
      receivedAt: new Date(e.sendAt),
      clockSkewMs: null,
    };
    switch (e.type) {
      case 'door':
        return [
          {
            type: 'door',
            ...stamps,
            doorId: e.device,
            resourceIds: this.resourcesOf.get(e.device) ?? [],
            payload: e.payload,
          },
        ];
      case 'sensor':
        // presence comes from the minute readings instead
        if (e.payload.kind === 'presence') return [];
        return [
          {
            type: 'sensor',
            ...stamps,
            sensorId: e.device,
            resourceId: this.resourcesOf.get(e.device)?.[0] ?? null,
            payload: e.payload,
          },
        ];
      case 'booking':
        return [{ type: 'booking', ...stamps, payload: e.payload }];
    }
  }
}
