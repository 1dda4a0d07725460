import { eventKind, ScenarioEvent } from '../engine/scenario-event';
import { Dispatcher } from './dispatcher';

/** Where a mode takes its events from: a ScenarioStream, or a fake in tests. */
export interface EventSource {
  take(max: number): ScenarioEvent[];
  peek(): ScenarioEvent | undefined;
  readonly daysDone: number;
  readonly days: number;
}

export interface Progress {
  events: number;
  acked: number;
  failed: number;
  daysDone: number;
  days: number;
  elapsedMs: number;
}

export interface RunReport {
  mode: 'backfill' | 'load' | 'live';
  /** Events taken from the stream and handed to the transport. */
  events: number;
  byKind: Record<string, number>;
  messages: number;
  acked: number;
  failed: number;
  /** What the platform answered over HTTP; zero over MQTT, which only acknowledges delivery to the broker. */
  accepted: number;
  duplicates: number;
  rejected: number;
  retries: number;
  elapsedMs: number;
  /** Acknowledged events per second of the run. */
  rate: number;
  ackP50Ms: number;
  ackP99Ms: number;
  ackMaxMs: number;
  errors: string[];
  interrupted: boolean;
}

export class KindCounter {
  private readonly counts = new Map<string, number>();
  total = 0;

  add(events: readonly ScenarioEvent[]): void {
    for (const e of events) {
      const key = eventKind(e);
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    }
    this.total += events.length;
  }

  toRecord(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }
}

export function buildReport(
  mode: RunReport['mode'],
  kinds: KindCounter,
  dispatcher: Dispatcher,
  elapsedMs: number,
  interrupted = false,
): RunReport {
  const round = (ms: number): number => Math.round(ms * 100) / 100;
  return {
    mode,
    events: kinds.total,
    byKind: kinds.toRecord(),
    messages: dispatcher.messages,
    acked: dispatcher.ackedEvents,
    failed: dispatcher.failedEvents,
    accepted: dispatcher.accepted,
    duplicates: dispatcher.duplicates,
    rejected: dispatcher.rejected,
    retries: dispatcher.retries,
    elapsedMs: Math.round(elapsedMs),
    rate: elapsedMs > 0 ? Math.round((dispatcher.ackedEvents * 1000) / elapsedMs) : 0,
    ackP50Ms: round(dispatcher.latency.percentile(50)),
    ackP99Ms: round(dispatcher.latency.percentile(99)),
    ackMaxMs: round(dispatcher.latency.max),
    errors: dispatcher.errors,
    interrupted,
  };
}
