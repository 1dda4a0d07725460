import { systemTimers, Timers } from '../live-player';
import { Outbox } from '../transport/outbox';
import { Dispatcher } from './dispatcher';
import { sleep, within } from './pacing';
import { buildReport, EventSource, KindCounter, Progress, RunReport } from './report';

export interface LiveOptions {
  source: EventSource;
  outbox: Outbox;
  dispatcher: Dispatcher;
  /** Simulated ms per wall ms: 1 is real time, 60 a simulated minute per second. */
  speed: number;
  /** The simulated instant the run starts at; events delivered before it go out at once. */
  simStart: number;
  timers?: Timers;
  /** Stop after this much wall time; default: when the scenario ends. */
  durationMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

/** Node clamps longer timeouts to 1 ms; waking hourly also tolerates a host clock that jumps. */
const MAX_SLEEP_MS = 60 * 60 * 1000;
/** Events sent together when catching up on the past. */
const CATCH_UP_CHUNK = 2000;

/** The wall time at which an event delivered at simulated `sendAt` goes out. */
export const wallTimeFor = (sendAt: number, simStart: number, wallStart: number, speed: number): number =>
  wallStart + (sendAt - simStart) / speed;

/**
 * Events at their simulated delivery time, mapped onto the wall clock: `simStart` plays now, `speed` simulated ms
 * pass per wall ms. The payloads carry simulated times, so at any speed other than 1 the platform must be told the
 * simulated time (README, "Simulated clock"), or it clamps timestamps from its future.
 */
export async function runLive(options: LiveOptions): Promise<RunReport> {
  const { source, outbox, dispatcher, speed, simStart } = options;
  if (!(speed > 0 && Number.isFinite(speed)))
    throw new Error(`speed must be a positive number, got ${speed}`);
  const timers = options.timers ?? systemTimers;
  const kinds = new KindCounter();
  const wallStart = timers.now();
  const endAt = wallStart + (options.durationMs ?? Infinity);
  const send = (): void => {
    for (const message of outbox.flush()) dispatcher.enqueue(message);
  };
  while (!options.signal?.aborted) {
    const next = source.peek();
    const now = timers.now();
    if (!next || now >= endAt) break;
    const due = wallTimeFor(next.sendAt, simStart, wallStart, speed);
    if (due > now) {
      send();
      await sleep(timers, Math.min(MAX_SLEEP_MS, Math.min(due, endAt) - now), options.signal);
      continue;
    }
    const batch = [];
    for (
      let e = source.peek();
      e && wallTimeFor(e.sendAt, simStart, wallStart, speed) <= now;
      e = source.peek()
    ) {
      batch.push(...source.take(1));
      if (batch.length >= CATCH_UP_CHUNK) break;
    }
    kinds.add(batch);
    for (const event of batch) outbox.add(event);
    send();
    options.onProgress?.({
      events: kinds.total,
      acked: dispatcher.ackedEvents,
      failed: dispatcher.failedEvents,
      daysDone: source.daysDone,
      days: source.days,
      elapsedMs: now - wallStart,
    });
    // a long catch-up must not starve the acknowledgements
    if (batch.length >= CATCH_UP_CHUNK) await dispatcher.waitBelow(CATCH_UP_CHUNK * 4);
    await sleep(timers, 0, options.signal);
  }
  send();
  await within(timers, dispatcher.drain(), 10_000);
  return buildReport('live', kinds, dispatcher, timers.now() - wallStart, options.signal?.aborted ?? false);
}
