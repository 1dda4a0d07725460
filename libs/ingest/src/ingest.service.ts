import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { canActOnSite, Principal } from '@cw/auth';
import { Clock } from '@cw/common';
import { AppConfig } from '@cw/config';
import { EventSource, PlatformEvent, RejectedEvent } from '@cw/events';
import { IngestMetrics } from '@cw/metrics';
import { Candidate, Refusal } from './decode/candidate';
import { ClockLimits } from './decode/clock-guard';
import { decodeHttpBatch, decodeMqttPayload, Decoded } from './decode/event-decoder';
import { DeviceLookup, mapCandidate } from './decode/event-mapper';
import { parseInboundTopic } from './decode/mqtt-topic';
import { IngestRepository } from './ingest.repository';
import { StoredEventsBus } from './stored-events.bus';
import { Batcher } from './pipeline/batcher';
import { outcomesOf, partitionBatch } from './pipeline/partition-batch';
import { WriteItem, WriteOutcome } from './pipeline/write-item';

export const DEVICE_LOOKUP = Symbol('DEVICE_LOOKUP');

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: { index: number; errors: { path: string; message: string }[] }[];
}

/**
 * The one ingest path for MQTT and HTTP alike: decode, validate, authorise the site, map devices, check the clock,
 * then batch-write events and dead letters together. The returned promise settles only after the write is durable.
 */
@Injectable()
export class IngestService implements OnModuleDestroy {
  private readonly logger = new Logger(IngestService.name);
  private readonly batcher: Batcher<WriteItem, WriteOutcome>;
  private readonly limits: ClockLimits;

  constructor(
    private readonly config: AppConfig,
    private readonly repository: IngestRepository,
    @Inject(DEVICE_LOOKUP) private readonly devices: DeviceLookup,
    private readonly metrics: IngestMetrics,
    private readonly bus: StoredEventsBus,
    private readonly clock: Clock,
  ) {
    this.limits = {
      maxFutureSkewMs: config.get('INGEST_MAX_FUTURE_SKEW_S') * 1000,
      maxAgeMs: config.get('INGEST_MAX_AGE_DAYS') * 86_400_000,
    };
    this.batcher = new Batcher<WriteItem, WriteOutcome>({
      maxBatch: config.get('INGEST_BATCH_SIZE'),
      flushMs: config.get('INGEST_FLUSH_MS'),
      maxPending: config.get('INGEST_MAX_PENDING'),
      write: (items) => this.write(items),
      onWriteError: (error, attempt) => {
        this.metrics.writeErrors.inc();
        if (attempt === 0 || attempt % 20 === 0) {
          this.logger.warn(
            `batch write failed (attempt ${attempt + 1}), holding events and retrying: ${(error as Error).message}`,
          );
        }
      },
    });
  }

  get pending(): number {
    return this.batcher.pending;
  }

  /** A message from a broker. Authorisation of the publisher happened at the broker; the topic names the site. */
  async ingestMqtt(topic: string, payload: Buffer, receivedAt = new Date()): Promise<IngestResult> {
    const route = parseInboundTopic(topic, this.config.get('MQTT_TOPIC_PREFIX'));
    if (!route) {
      const refusal: Refusal = {
        index: 0,
        siteId: null,
        eventId: null,
        reason: `unknown topic ${topic}`,
        errors: [],
        raw: payload.toString('utf8').slice(0, 65536),
        topic,
        source: 'mqtt',
      };
      return this.process({ candidates: [], refusals: [refusal] }, null, 'mqtt', receivedAt);
    }
    return this.process(
      decodeMqttPayload(route, topic, payload, this.config.get('HTTP_MAX_BATCH')),
      null,
      'mqtt',
      receivedAt,
    );
  }

  /** A decoded HTTP batch; `principal` limits the sites its events may belong to. */
  async ingestHttp(items: unknown[], principal: Principal, receivedAt = new Date()): Promise<IngestResult> {
    return this.process(decodeHttpBatch(items), principal, 'http', receivedAt);
  }

  /**
   * Dead letters found after ingest, by whoever applies stored events (a booking event refused as an overlap): kept
   * the way ingest keeps its own refusals, raw payload and reason, through the same batched writer.
   */
  async deadLetter(rejected: RejectedEvent[]): Promise<void> {
    if (rejected.length === 0) return;
    await this.batcher.add(rejected.map((r) => ({ kind: 'rejected' as const, rejected: r })));
    const bySource = new Map<EventSource, number>();
    rejected.forEach((r) => bySource.set(r.source, (bySource.get(r.source) ?? 0) + 1));
    bySource.forEach((count, source) => this.metrics.rejected.inc({ source }, count));
  }

  async onModuleDestroy(): Promise<void> {
    await this.batcher.drain();
    this.batcher.close();
  }

  private async process(
    decoded: Decoded,
    principal: Principal | null,
    source: EventSource,
    receivedAt: Date,
  ): Promise<IngestResult> {
    const refusals = [...decoded.refusals];
    const accepted: { index: number; event: PlatformEvent }[] = [];
    for (const { index, candidate } of decoded.candidates) {
      const refusal = await this.admit(candidate, principal, receivedAt, index, source, accepted);
      if (refusal) refusals.push(refusal);
    }
    const items: WriteItem[] = [
      ...accepted.map(({ event }) => ({ kind: 'event' as const, event })),
      ...refusals.map((r) => ({ kind: 'rejected' as const, rejected: toRejected(r, receivedAt) })),
    ];
    const outcomes = await this.batcher.add(items);
    const stored = outcomes.slice(0, accepted.length);
    const duplicates = stored.filter((o) => o === 'duplicate').length;
    const storedByType = new Map<string, number>();
    accepted.forEach(({ event }, i) => {
      if (stored[i] === 'stored') storedByType.set(event.type, (storedByType.get(event.type) ?? 0) + 1);
    });
    storedByType.forEach((count, type) => this.metrics.eventsIn.inc({ type, source }, count));
    if (duplicates) this.metrics.duplicates.inc({ source }, duplicates);
    if (refusals.length) this.metrics.rejected.inc({ source }, refusals.length);
    return {
      accepted: accepted.length - duplicates,
      duplicates,
      rejected: refusals
        .sort((a, b) => a.index - b.index)
        .map((r) => ({
          index: r.index,
          errors: r.errors.length ? r.errors : [{ path: '(root)', message: r.reason }],
        })),
    };
  }

  private async admit(
    candidate: Candidate,
    principal: Principal | null,
    receivedAt: Date,
    index: number,
    source: EventSource,
    accepted: { index: number; event: PlatformEvent }[],
  ): Promise<Refusal | undefined> {
    const base = {
      index,
      siteId: candidate.siteId,
      eventId: candidate.payload.id,
      raw: candidate.raw,
      topic: candidate.topic,
      source,
    };
    if (principal && !canActOnSite(principal, candidate.siteId)) {
      const message = `this key may not send events for site ${candidate.siteId}`;
      return { ...base, reason: message, errors: [{ path: 'site', message }] };
    }
    const mapped = await mapCandidate(
      candidate,
      this.devices,
      receivedAt,
      this.limits,
      this.clock.at(receivedAt),
    );
    if (!mapped.ok)
      return {
        ...base,
        reason: mapped.reason,
        errors: [{ path: mapped.path ?? '(root)', message: mapped.reason }],
      };
    const event: PlatformEvent =
      mapped.event.type === 'booking'
        ? { ...mapped.event, origin: { source, topic: candidate.topic, raw: candidate.raw } }
        : mapped.event;
    accepted.push({ index, event });
    return undefined;
  }

  /**
   * The batcher's sink: one transaction for the whole batch, duplicates inside it dropped first. The engines hear the
   * new events once per batch, not once per message: a step per MQTT message was what held them back under load.
   */
  private async write(items: WriteItem[]): Promise<WriteOutcome[]> {
    const batch = partitionBatch(items);
    const timer = this.metrics.writeSeconds.startTimer();
    const stored = await this.repository.writeBatch(
      batch.doors,
      batch.sensors,
      batch.bookings,
      batch.rejected,
    );
    timer();
    this.metrics.batchSize.observe(items.length);
    const outcomes = outcomesOf(items, batch.first, stored);
    const fresh = items.flatMap((item, i) =>
      item.kind === 'event' && outcomes[i] === 'stored' ? [item.event] : [],
    );
    if (fresh.length) this.bus.emit('stored', fresh);
    return outcomes;
  }
}

function toRejected(refusal: Refusal, receivedAt: Date): RejectedEvent {
  return {
    receivedAt,
    siteId: refusal.siteId,
    source: refusal.source,
    topic: refusal.topic,
    eventId: refusal.eventId,
    reason: refusal.reason,
    errors: refusal.errors,
    raw: refusal.raw,
  };
}
