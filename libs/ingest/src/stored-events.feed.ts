import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { AppConfig } from '@cw/config';
import { PlatformEvent } from '@cw/events';
import { StoredEventsBus } from './stored-events.bus';

const ERROR_LOG_INTERVAL_MS = 30_000;

/** Dates travel as ISO strings; these are the fields of a stored event that are dates. */
const DATE_FIELDS = ['ts', 'deviceTs', 'receivedAt'] as const;

export function encodeBatch(origin: string, events: PlatformEvent[]): string {
  return `${origin}\n${JSON.stringify(events)}`;
}

/** The events of a message from another process, or null for one of this process's own (already heard here). */
export function decodeBatch(self: string, message: string): PlatformEvent[] | null {
  const cut = message.indexOf('\n');
  if (cut < 0 || message.slice(0, cut) === self) return null;
  const events = JSON.parse(message.slice(cut + 1)) as Record<string, unknown>[];
  for (const event of events)
    for (const field of DATE_FIELDS) event[field] = new Date(event[field] as string);
  return events as unknown as PlatformEvent[];
}

/**
 * Carries stored events between processes (REDIS_URL set): in production `apps/ingest` writes the events while the
 * engines run elsewhere, and the in-process bus alone would leave them deaf. Every batch stored here is published on
 * Redis; a process whose engines listen to the bus re-emits the batches of the others. Pub/sub is at most once: a
 * process that was down misses live events, which the engines make up from the database (state is rebuilt from the
 * hypertables at load, and a no-show decision reads its evidence there), so only the early check-in display is lost.
 */
@Injectable()
export class StoredEventsFeed implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(StoredEventsFeed.name);
  private readonly origin = randomUUID();
  private readonly relayed = new WeakSet<PlatformEvent[]>();
  private readonly channel: string;
  private pub: Redis | undefined;
  private sub: Redis | undefined;
  private offBus: (() => void) | undefined;
  private lastErrorLog = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly bus: StoredEventsBus,
  ) {
    this.channel = `${config.get('JOBS_PREFIX')}:stored-events`;
  }

  /** Whether this process re-emits other processes' batches (it has engines listening). */
  get listening(): boolean {
    return this.sub !== undefined;
  }

  /** At bootstrap, once every module has registered its listeners, so a process knows whether anyone listens. */
  async onApplicationBootstrap(): Promise<void> {
    const url = this.config.get('REDIS_URL');
    if (!url) return;
    const listeners = this.bus.listenerCount('stored');
    this.pub = this.client(url, 'cw-stored-pub');
    this.offBus = this.bus.on('stored', (events) => this.publish(events));
    // A process whose app turned relaying off (the worker) keeps its listeners deaf to other processes.
    if (listeners > 0 && this.config.relaysStoredEvents) {
      this.sub = this.client(url, 'cw-stored-sub');
      this.sub.on('message', (_channel: string, message: string) => this.relay(message));
      await this.sub.subscribe(this.channel);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.offBus?.();
    for (const client of [this.pub, this.sub])
      if (client) await client.quit().catch(() => client.disconnect());
  }

  private publish(events: PlatformEvent[]): void {
    if (this.relayed.has(events) || !this.pub) return;
    this.pub.publish(this.channel, encodeBatch(this.origin, events)).catch((e: Error) => this.logError(e));
  }

  private relay(message: string): void {
    let events: PlatformEvent[] | null;
    try {
      events = decodeBatch(this.origin, message);
    } catch (error) {
      this.logError(error as Error);
      return;
    }
    if (!events) return;
    this.relayed.add(events);
    this.bus.emit('stored', events);
  }

  private client(url: string, name: string): Redis {
    const client = new Redis(url, { connectionName: name, maxRetriesPerRequest: 3 });
    client.on('error', (e: Error) => this.logError(e));
    return client;
  }

  private logError(error: Error): void {
    if (Date.now() - this.lastErrorLog < ERROR_LOG_INTERVAL_MS) return;
    this.lastErrorLog = Date.now();
    this.logger.warn(`stored-events feed on Redis: ${error.message}`);
  }
}
