import { performance } from 'node:perf_hooks';
import { Outbox } from '../transport/outbox';
import { Dispatcher } from './dispatcher';
import { buildReport, EventSource, KindCounter, Progress, RunReport } from './report';

export interface BackfillOptions {
  source: EventSource;
  outbox: Outbox;
  dispatcher: Dispatcher;
  /** Events waiting to be sent before generation pauses; default 20 000 (four full HTTP batches). */
  maxQueuedEvents?: number;
  /**
   * Send partial messages whenever the stream has moved on this much simulated time. For MQTT arrays, which fill
   * per device: without it a quiet device's events would trail the others by hours of simulated time.
   */
  flushEverySimMs?: number;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  now?: () => number;
}

/** Events generated between two looks at the network: small enough to keep acks flowing, big enough to batch. */
const CHUNK = 2000;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * History as fast as the platform takes it: generation pauses while the sink is behind, so memory stays flat
 * however many months are sent.
 */
export async function runBackfill(options: BackfillOptions): Promise<RunReport> {
  const { source, outbox, dispatcher } = options;
  const now = options.now ?? (() => performance.now());
  const maxQueued = options.maxQueuedEvents ?? 20_000;
  const kinds = new KindCounter();
  const started = now();
  const progress = (): void =>
    options.onProgress?.({
      events: kinds.total,
      acked: dispatcher.ackedEvents,
      failed: dispatcher.failedEvents,
      daysDone: source.daysDone,
      days: source.days,
      elapsedMs: now() - started,
    });
  let flushedAt = -Infinity;
  while (!options.signal?.aborted) {
    const events = source.take(CHUNK);
    if (events.length === 0) break;
    kinds.add(events);
    for (const event of events) {
      outbox.add(event);
      if (options.flushEverySimMs === undefined) continue;
      if (flushedAt === -Infinity) flushedAt = event.sendAt;
      if (event.sendAt - flushedAt < options.flushEverySimMs) continue;
      for (const message of outbox.flush()) dispatcher.enqueue(message);
      flushedAt = event.sendAt;
    }
    for (const message of outbox.full()) dispatcher.enqueue(message);
    await dispatcher.waitBelow(maxQueued);
    // acknowledgements are handled between chunks, not only when the queue is full
    await nextTurn();
    progress();
  }
  for (const message of outbox.flush()) dispatcher.enqueue(message);
  await dispatcher.drain();
  progress();
  return buildReport('backfill', kinds, dispatcher, now() - started, options.signal?.aborted ?? false);
}
