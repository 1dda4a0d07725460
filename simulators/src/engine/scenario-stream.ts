import { Scenario } from '../scenario/scenario-loader';
import { addDays, dayWindow } from '../zoned-time';
import { compileDay } from './compile-day';
import { DayPlan, planDay } from './day-planner';
import { bookingEvents, RawEvent } from './raw-events';
import { ScenarioEvent } from './scenario-event';
import { siteDay } from './site-day';
import { buildSiteRuntime, SiteRuntime } from './site-runtime';
import { MemberRecord, TruthRecord, TruthSink } from './truth-records';

export interface StreamOptions {
  /** First simulated local date (YYYY-MM-DD), the same for every site. */
  start: string;
  /** Number of days; Infinity for an endless stream (load mode stops it). */
  days: number;
  /** Default the scenario's seed. */
  seed?: number;
  truth?: TruthSink;
}

/** Stable merge of two arrays sorted by `sendAt`; on ties `a` comes first. */
function mergeBySendAt(a: ScenarioEvent[], b: ScenarioEvent[]): ScenarioEvent[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Array<ScenarioEvent>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = b[j].sendAt < a[i].sendAt ? b[j++] : a[i++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}

/**
 * A scenario as one stream of events in delivery order, generated a site-day at a time so a year of history never
 * sits in memory. Days are planned ahead by the longest booking lead time, because a meeting is booked days before
 * it happens; a day's events are final once every site has generated past them (late deliveries cross midnight).
 */
export class ScenarioStream {
  readonly seed: number;
  readonly sites: SiteRuntime[];
  readonly start: string;
  readonly days: number;
  private readonly lookahead: number[];
  private readonly plans: Array<Map<string, DayPlan>>;
  private readonly truth: TruthSink | undefined;
  private readonly lastVisit = new Map<string, string>();
  private ready: ScenarioEvent[] = [];
  private head = 0;
  private pending: ScenarioEvent[] = [];
  private dayIndex = 0;
  private siteIndex = 0;
  private done = false;
  /** Events produced so far, released or not. */
  generated = 0;

  constructor(scenario: Scenario, options: StreamOptions) {
    if (!(options.days >= 1)) throw new Error(`days must be at least 1, got ${options.days}`);
    this.seed = options.seed ?? scenario.seed;
    this.start = options.start;
    this.days = options.days;
    this.truth = options.truth;
    this.sites = scenario.sites.map((site) =>
      buildSiteRuntime(this.seed, site, scenario.topicPrefix, options.start),
    );
    this.lookahead = this.sites.map(
      (rt) => Math.ceil(rt.config.behaviour.bookings.leadTime.maxHours / 24) + 1,
    );
    this.plans = this.sites.map(() => new Map<string, DayPlan>());
    this.writeHeader(scenario);
  }

  /** Whole days generated for every site. */
  get daysDone(): number {
    return this.dayIndex;
  }

  get finished(): boolean {
    return this.done && this.head >= this.ready.length;
  }

  /** Up to `max` events in delivery order, generating as needed; fewer only at the end. */
  take(max: number): ScenarioEvent[] {
    while (this.ready.length - this.head < max && !this.done) this.step();
    const out = this.ready.slice(this.head, this.head + max);
    this.head += out.length;
    // drop what was handed out once it is half the buffer: amortised O(1) per event, and memory stays flat
    if (this.head * 2 >= this.ready.length) {
      this.ready = this.ready.slice(this.head);
      this.head = 0;
    }
    return out;
  }

  peek(): ScenarioEvent | undefined {
    while (this.head >= this.ready.length && !this.done) this.step();
    return this.ready[this.head];
  }

  /** Everything left; for short runs and tests. */
  all(): ScenarioEvent[] {
    return this.take(Infinity);
  }

  private writeHeader(scenario: Scenario): void {
    const truth = this.truth;
    if (!truth) return;
    const days = Number.isFinite(this.days) ? this.days : null;
    truth.write({
      type: 'run',
      scenario: scenario.name,
      seed: this.seed,
      start: this.start,
      days,
      sites: this.sites.map((s) => s.id),
    });
    for (const rt of this.sites) {
      const { declineDays } = rt.config.behaviour.churn;
      for (const m of rt.population.members) {
        const record: MemberRecord = {
          type: 'member',
          site: rt.id,
          member: m.id,
          plan: m.plan,
          company: m.company,
          credential: m.credential,
          desk: m.desk?.id ?? null,
          attendance: Math.round(m.attendance * 1000) / 1000,
          churnDate: m.churnDate,
          declineFrom: m.churnDate === null ? null : addDays(m.churnDate, -Math.ceil(declineDays)),
          lateness: m.lateness,
        };
        truth.write(record);
      }
      for (const d of rt.devices.values())
        truth.write({ type: 'device', site: rt.id, device: d.id, deviceType: d.type, skewMs: d.skewMs });
    }
  }

  private planFor(site: number, dayIndex: number): DayPlan {
    const date = addDays(this.start, dayIndex);
    let plan = this.plans[site].get(date);
    if (!plan) {
      plan = planDay(siteDay(this.sites[site], date));
      this.plans[site].set(date, plan);
    }
    return plan;
  }

  /** Generates one site-day and releases what no later site-day can precede. */
  private step(): void {
    if (this.dayIndex >= this.days) {
      this.release(Infinity);
      this.done = true;
      return;
    }
    const s = this.siteIndex;
    const plan = this.planFor(s, this.dayIndex);
    const window = plan.day.window;
    // the first day also carries the bookings made before the run started, at their own (earlier) times
    const from = this.dayIndex === 0 ? -Infinity : window.from;
    const bookings: RawEvent[] = [];
    for (let k = 0; k <= this.lookahead[s] && this.dayIndex + k < this.days; k++)
      bookings.push(...bookingEvents(this.planFor(s, this.dayIndex + k).meetings, from, window.to));
    const compiled = compileDay(plan, bookings);
    this.writeTruth(plan, compiled.truth);
    this.plans[s].delete(plan.day.date);
    this.generated += compiled.events.length;
    this.pending = mergeBySendAt(this.pending, compiled.events);
    if (++this.siteIndex === this.sites.length) {
      this.siteIndex = 0;
      this.dayIndex++;
    }
    this.release(this.bound());
  }

  private writeTruth(plan: DayPlan, records: TruthRecord[]): void {
    const { rt, date } = plan.day;
    for (const md of plan.members) this.lastVisit.set(md.member.id, date);
    if (!this.truth) return;
    for (const record of records) this.truth.write(record);
    for (const m of rt.population.members) {
      if (m.churnDate === date)
        this.truth.write({
          type: 'churn',
          site: rt.id,
          member: m.id,
          date,
          lastVisit: this.lastVisit.get(m.id) ?? null,
        });
    }
  }

  /** The earliest instant a site-day not yet generated can deliver at: the start of the next day of each site. */
  private bound(): number {
    let bound = Infinity;
    this.sites.forEach((rt, s) => {
      const next = this.dayIndex + (s < this.siteIndex ? 1 : 0);
      if (next >= this.days) return;
      // a site yet to generate its first day may still deliver bookings made before the run began
      const start = next === 0 ? -Infinity : dayWindow(addDays(this.start, next), rt.timeZone).start;
      bound = Math.min(bound, start);
    });
    return bound;
  }

  private release(bound: number): void {
    let k = 0;
    while (k < this.pending.length && this.pending[k].sendAt < bound) k++;
    if (k === 0) return;
    for (let i = 0; i < k; i++) this.ready.push(this.pending[i]);
    this.pending = k === this.pending.length ? [] : this.pending.slice(k);
  }
}
