import { systemTimers, Timers } from '../live-player';
import { Outbox } from '../transport/outbox';
import { Dispatcher } from './dispatcher';
import { sleep, within } from './pacing';
import { buildReport, EventSource, KindCounter, Progress, RunReport } from './report';

export interface LoadOptions {
  source: EventSource;
  outbox: Outbox;
  dispatcher: Dispatcher;
  /** Target events per second; Infinity: as fast as generation and the sink allow. */
  rate: number;
  durationMs: number;
  timers?: Timers;
  /** How often the pacer wakes up. Default 10 ms. */
  tickMs?: number;
  /** Partial arrays go out at least this often. Default 100 ms. */
  flushMs?: number;
  /** Events waiting to be sent before the pacer stops taking more. Default half a second of the target rate. */
  maxQueuedEvents?: number;
  /** How long to wait for outstanding acks at the end. Default 10 s. */
  drainMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

/** Events taken in one go at an unbounded rate, or when far behind. */
const MAX_CHUNK = 5000;

/**
 * A target event rate over a duration. Each tick takes what the rate allows since the start, so rounding never
 * accumulates; a sink that falls behind stops the taking (the queue is bounded), and the lost time is not caught up
 * in a burst afterwards: more than a second of backlog is written off.
 */
export async function runLoad(options: LoadOptions): Promise<RunReport> {
  const { source, outbox, dispatcher, rate } = options;
  if (!(rate > 0)) throw new Error(`rate must be positive, got ${rate}`);
  const timers = options.timers ?? systemTimers;
  const tickMs = options.tickMs ?? 10;
  const flushMs = options.flushMs ?? 100;
  const maxQueued = options.maxQueuedEvents ?? (Number.isFinite(rate) ? Math.max(10_000, rate / 2) : 50_000);
  const kinds = new KindCounter();
  const started = timers.now();
  let written = 0;
  let lastFlush = started;
  let exhausted = false;
  while (!options.signal?.aborted && !exhausted) {
    const now = timers.now();
    const elapsed = now - started;
    if (elapsed >= options.durationMs) break;
    let due = Number.isFinite(rate) ? Math.floor((rate * elapsed) / 1000) - kinds.total - written : MAX_CHUNK;
    if (due > rate) {
      written += due - rate;
      due = rate;
    }
    if (dispatcher.queuedEvents >= maxQueued) due = 0;
    const events = due > 0 ? source.take(Math.min(due, MAX_CHUNK)) : [];
    if (due > 0 && events.length === 0) exhausted = true;
    kinds.add(events);
    for (const event of events) outbox.add(event);
    for (const message of outbox.full()) dispatcher.enqueue(message);
    if (now - lastFlush >= flushMs) {
      for (const message of outbox.flush()) dispatcher.enqueue(message);
      lastFlush = now;
    }
    options.onProgress?.({
      events: kinds.total,
      acked: dispatcher.ackedEvents,
      failed: dispatcher.failedEvents,
      daysDone: source.daysDone,
      days: source.days,
      elapsedMs: elapsed,
    });
    // behind (a full chunk taken) or unbounded: go again at once, after the network has had its turn
    await sleep(timers, due >= MAX_CHUNK || (!Number.isFinite(rate) && due > 0) ? 0 : tickMs, options.signal);
  }
  for (const message of outbox.flush()) dispatcher.enqueue(message);
  await within(timers, dispatcher.drain(), options.drainMs ?? 10_000);
  return buildReport('load', kinds, dispatcher, timers.now() - started, options.signal?.aborted ?? false);
}
