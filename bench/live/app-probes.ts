import { performance } from 'node:perf_hooks';
import { DecisionJob, InProcessDecisionTimers } from '@cw/noshow';
import { OccupancyEngine, resolveState, ResourceModel } from '@cw/occupancy';
import { round } from '../ingest/util';

/**
 * Diagnostics the live bench attaches to the running app from outside: they wrap methods of live instances, change
 * no behaviour, and exist to say where the time goes. Private members are reached through a structural cast, so a
 * rename in the engine shows up here as a missing method (reported, not thrown).
 */

type Step = () => Promise<unknown>;
interface EngineInternals {
  serial(step: Step): Promise<void>;
  onBooking(booking: unknown): Promise<void>;
  onEvents(events: unknown[]): Promise<void>;
  loaded: Map<string, { resources: Map<string, { model: ResourceModel }> }>;
}

interface Timing {
  n: number;
  ms: number;
  max: number;
}
const timing = (): Timing => ({ n: 0, ms: 0, max: 0 });
const add = (t: Timing, ms: number) => {
  t.n++;
  t.ms += ms;
  t.max = Math.max(t.max, ms);
};
const summary = (t: Timing) => ({
  calls: t.n,
  mean_ms: t.n ? round(t.ms / t.n, 1) : null,
  max_ms: round(t.max),
  total_s: round(t.ms / 1000, 1),
});

/** The occupancy engine's one-at-a-time chain: how deep it gets and what its steps cost, per window. */
export class OccupancyChainWatch {
  private depth = 0;
  private maxDepth = 0;
  private steps = timing();
  private booking = timing();
  private events = timing();
  private t0 = performance.now();
  readonly attached: boolean;

  constructor(engine: OccupancyEngine) {
    const internals = engine as unknown as EngineInternals;
    this.attached =
      typeof internals.serial === 'function' &&
      typeof internals.onBooking === 'function' &&
      typeof internals.onEvents === 'function';
    if (!this.attached) return;
    const serial = internals.serial.bind(engine);
    const onBooking = internals.onBooking.bind(engine);
    const onEvents = internals.onEvents.bind(engine);
    internals.serial = (step: Step) => {
      this.depth++;
      this.maxDepth = Math.max(this.maxDepth, this.depth);
      const timed = async () => {
        const t = performance.now();
        try {
          return await step();
        } finally {
          add(this.steps, performance.now() - t);
        }
      };
      return serial(timed).finally(() => this.depth--);
    };
    internals.onBooking = async (booking: unknown) => {
      const t = performance.now();
      try {
        return await onBooking(booking);
      } finally {
        add(this.booking, performance.now() - t);
      }
    };
    internals.onEvents = async (events: unknown[]) => {
      const t = performance.now();
      try {
        return await onEvents(events);
      } finally {
        add(this.events, performance.now() - t);
      }
    };
  }

  reset(): void {
    this.maxDepth = this.depth;
    this.steps = timing();
    this.booking = timing();
    this.events = timing();
    this.t0 = performance.now();
  }

  report() {
    if (!this.attached) return { attached: false };
    const seconds = (performance.now() - this.t0) / 1000;
    const other = this.steps.ms - this.booking.ms - this.events.ms;
    return {
      window_s: round(seconds, 1),
      backlog_now: this.depth,
      max_backlog: this.maxDepth,
      busy_share: round(this.steps.ms / 1000 / seconds, 2),
      steps: summary(this.steps),
      on_booking_changed: summary(this.booking),
      on_stored_events: summary(this.events),
      other_steps_s: round(other / 1000, 1),
      note: 'steps (one per stored batch of readings, one per booking change, timer re-evaluations, snapshots) run one at a time; a step time includes its database waits; busy_share near 1 = the chain is the bottleneck and its backlog grows',
    };
  }
}

/** Main-thread cost of re-evaluating every resource of a site, as the engine does on each booking change. */
export function timeSiteEvaluation(engine: OccupancyEngine, siteId: string, rounds = 20) {
  const site = (engine as unknown as EngineInternals).loaded?.get(siteId);
  if (!site) return { attached: false };
  const models = [...site.resources.values()].map((r) => r.model);
  const now = Date.now();
  for (const m of models) resolveState(m, now); // warm
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) for (const m of models) resolveState(m, now);
  const ms = (performance.now() - t0) / rounds;
  return {
    resources: models.length,
    resolve_all_ms: round(ms, 2),
    per_resource_us: round((ms * 1000) / models.length, 2),
  };
}

/**
 * Experiment only (BENCH_EXP_DECISION_CONCURRENCY): at most `limit` no-show decisions at once, the rest wait their
 * turn in memory, as the BullMQ-backed timers already do (concurrency 8). The embedded timers start every due
 * decision at once.
 */
export function limitDecisions(timers: InProcessDecisionTimers, limit: number): boolean {
  const internals = timers as unknown as { handler?: (job: DecisionJob) => Promise<void> };
  const handler = internals.handler;
  if (!handler) return false;
  let running = 0;
  const waiting: (() => void)[] = [];
  internals.handler = async (job: DecisionJob) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      await handler(job);
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
  return true;
}

/** Wall time of chosen async methods of live instances (release sinks, markPublished...), per window. */
export class MethodWatch {
  private timings = new Map<string, Timing>();
  private t0 = performance.now();

  watch(label: string, instance: object, method: string): boolean {
    const target = instance as Record<string, unknown>;
    const original = target[method];
    if (typeof original !== 'function') return false;
    const bound = (original as (...args: unknown[]) => Promise<unknown>).bind(instance);
    target[method] = async (...args: unknown[]) => {
      const t = performance.now();
      try {
        return await bound(...args);
      } finally {
        const timingOf = this.timings.get(label) ?? timing();
        add(timingOf, performance.now() - t);
        this.timings.set(label, timingOf);
      }
    };
    return true;
  }

  reset(): void {
    this.timings = new Map();
    this.t0 = performance.now();
  }

  report() {
    return {
      window_s: round((performance.now() - this.t0) / 1000, 1),
      ...Object.fromEntries([...this.timings].map(([label, t]) => [label, summary(t)])),
    };
  }
}

/** Epoch ms with sub-millisecond precision, comparable across the bench's processes (one system clock). */
export const epochNow = () => performance.timeOrigin + performance.now();

interface PathMarks {
  received?: number;
  written?: number;
  stored?: number;
  delta?: number;
}
type PathMarksEvent = { type: string; resourceId?: string | null };
interface IngestInternals {
  ingestMqtt(topic: string, payload: Buffer, receivedAt?: Date): Promise<unknown>;
  write(items: { kind: string; event?: PathMarksEvent }[]): Promise<unknown>;
}
interface BusInternals {
  emit(name: string, payload: unknown): void;
}
interface LiveInternals {
  occupancy(delta: { resourceId: string; state: string }): void;
}

/**
 * Where a measured state change spends its time inside the app: when its reading reached ingest (MQTT message
 * handed over by the broker), when its batch write began, when the write committed (stored-events bus), and when
 * its `occupied` delta went to socket.io. Only resources `measured` picks are marked, first mark of each wins.
 */
export class StatePathWatch {
  private marks = new Map<string, PathMarks>();
  readonly attached: boolean;

  constructor(
    ingest: object,
    bus: object,
    live: object,
    private readonly measured: (resourceId: string) => boolean,
    resourceOfSensor: (sensorId: string) => string | undefined,
  ) {
    const i = ingest as IngestInternals;
    const b = bus as BusInternals;
    const l = live as LiveInternals;
    this.attached =
      typeof i.ingestMqtt === 'function' &&
      typeof i.write === 'function' &&
      typeof b.emit === 'function' &&
      typeof l.occupancy === 'function';
    if (!this.attached) return;
    const ingestMqtt = i.ingestMqtt.bind(ingest);
    const write = i.write.bind(ingest);
    const emit = b.emit.bind(bus);
    const occupancy = l.occupancy.bind(live);
    i.ingestMqtt = (topic, payload, receivedAt) => {
      const resourceId = resourceOfSensor(topic.slice(topic.lastIndexOf('/') + 1));
      if (resourceId) this.mark(resourceId, 'received');
      return ingestMqtt(topic, payload, receivedAt);
    };
    i.write = (items) => {
      for (const item of items) this.markEvent(item.event, 'written');
      return write(items);
    };
    b.emit = (name, payload) => {
      if (name === 'stored') for (const event of payload as PathMarksEvent[]) this.markEvent(event, 'stored');
      emit(name, payload);
    };
    l.occupancy = (delta) => {
      if (delta.state === 'occupied' && this.measured(delta.resourceId)) this.mark(delta.resourceId, 'delta');
      occupancy(delta);
    };
  }

  reset(): void {
    this.marks = new Map();
  }

  of(resourceId: string): PathMarks | undefined {
    return this.marks.get(resourceId);
  }

  private markEvent(event: PathMarksEvent | undefined, at: keyof PathMarks): void {
    if (event?.type === 'sensor' && event.resourceId && this.measured(event.resourceId))
      this.mark(event.resourceId, at);
  }

  private mark(resourceId: string, at: keyof PathMarks): void {
    let marks = this.marks.get(resourceId);
    if (!marks) this.marks.set(resourceId, (marks = {}));
    marks[at] ??= epochNow();
  }
}
