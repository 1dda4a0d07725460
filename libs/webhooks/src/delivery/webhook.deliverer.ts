import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Clock } from '@cw/common';
import { AppConfig } from '@cw/config';
import { JobQueue } from '@cw/jobs';
import { webhookHeaders } from '../signing/standard-webhooks';
import { WebhookBody, WebhookEventType } from '../webhooks.events';
import { WebhooksRepository } from '../webhooks.repository';
import { AttemptRecordInput, DeliveryWork } from '../webhooks.types';
import { Coalescer } from './coalescer';
import { deliverJobId, deliverWebhookJob } from './deliver.job';
import { AttemptResult, decideOutcome, describeResult } from './retry-policy';
import { WebhookHttpClient } from './webhook-http.client';
import { WebhookUrlGuard } from './webhook-url.guard';

// Queue-level retries cover the platform's own failures (database briefly down), not the receiver's: those are
// attempts, counted and scheduled in the database.
const JOB_ATTEMPTS = 5;
const JOB_BACKOFF_MS = 2000;
const RESUME_BATCH = 10_000;
/** A just-created delivery's first attempt uses the row it was created with, if it runs this soon after. */
const PRIMED_FOR_MS = 10_000;
/** At most this many primed rows are held; past it the oldest go (their attempts read the database instead). */
const PRIMED_MAX = 20_000;

@Injectable()
export class WebhookDeliverer implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhookDeliverer.name);
  private readonly timeoutMs: number;
  private readonly retryBaseMs: number;
  private readonly concurrency: number;
  /** The attempts running at once read their work and record their outcomes together. */
  private readonly work: Coalescer<string, DeliveryWork | undefined>;
  private readonly outcomes: Coalescer<AttemptRecordInput, boolean>;
  /**
   * Deliveries just created by this process, as created: the first attempts of a burst skip one database read each
   * (with the embedded database every read queues behind the burst's other work on its one worker).
   */
  private readonly primed = new Map<string, { work: DeliveryWork; at: number }>();
  /** Outcomes being written after their request finished. */
  private readonly concluding = new Set<Promise<void>>();

  constructor(
    private readonly repository: WebhooksRepository,
    private readonly jobs: JobQueue,
    private readonly http: WebhookHttpClient,
    private readonly guard: WebhookUrlGuard,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.timeoutMs = config.get('WEBHOOK_TIMEOUT_MS');
    this.retryBaseMs = config.get('WEBHOOK_RETRY_BASE_MS');
    this.concurrency = config.get('WEBHOOK_CONCURRENCY');
    this.work = new Coalescer((ids) => this.repository.findWorkMany(ids));
    this.outcomes = new Coalescer((attempts) => this.recordMany(attempts));
  }

  onModuleInit(): void {
    // Many attempts run at once and each is bounded by the timeout, so a dead endpoint cannot stall the others.
    this.jobs.process(deliverWebhookJob, ({ deliveryId, attempt }) => this.attempt(deliveryId, attempt), {
      concurrency: this.concurrency,
    });
  }

  /** The in-process queue starts empty after a restart; re-queueing is a no-op for jobs BullMQ still holds. */
  async onApplicationBootstrap(): Promise<void> {
    const pending = await this.repository.pendingDeliveries(RESUME_BATCH);
    for (const { id, attempt, at } of pending) await this.enqueue(id, attempt, at);
    if (pending.length > 0) this.logger.log(`re-queued ${pending.length} pending webhook deliveries`);
  }

  enqueue(deliveryId: string, attempt: number, runAt: Date): Promise<void> {
    return this.jobs.schedule(
      deliverWebhookJob,
      { deliveryId, attempt },
      { jobId: deliverJobId(deliveryId, attempt), runAt, attempts: JOB_ATTEMPTS, backoffMs: JOB_BACKOFF_MS },
    );
  }

  /** Replaces a queued attempt (possibly hours away) with one due now. */
  async enqueueNow(deliveryId: string, attempt: number): Promise<void> {
    await this.jobs.cancel(deliverWebhookJob, deliverJobId(deliveryId, attempt));
    await this.enqueue(deliveryId, attempt, this.clock.now());
  }

  /**
   * Remembers just-created deliveries for their first attempt (see `primed`); a process that leaves deliveries to
   * workers (JOBS_PROCESS=none) keeps nothing.
   */
  prime(created: readonly DeliveryWork[]): void {
    if (!this.deliversHere()) return;
    const at = Date.now();
    for (const work of created) this.primed.set(work.id, { work, at });
    for (const id of this.primed.keys()) {
      if (this.primed.size <= PRIMED_MAX) break;
      this.primed.delete(id);
    }
  }

  async attempt(deliveryId: string, attempt: number): Promise<void> {
    const work = this.takePrimed(deliveryId, attempt) ?? (await this.work.call(deliveryId));
    if (!work || work.status !== 'pending') return;
    if (work.attempts >= attempt) {
      // This attempt was stored by an earlier run that failed before queueing the next one: queue it now.
      if (work.nextAttemptAt) await this.enqueue(work.id, work.attempts + 1, work.nextAttemptAt);
      return;
    }
    if (work.subscriptionStatus !== 'active') {
      await this.repository.markDisabled(work.id, 'subscription disabled');
      return;
    }
    const number = work.attempts + 1;
    const at = this.clock.now();
    const result = await this.send(work, at);
    // The slot (WEBHOOK_CONCURRENCY) is for requests in flight: the outcome is written in the background, many
    // attempts to one statement. Holding the slot for that write halved a burst's throughput on the embedded database.
    this.track(this.conclude(work, number, at, result));
  }

  /** Waits for the outcomes still being written (shutdown, tests). */
  async settled(): Promise<void> {
    while (this.concluding.size > 0) await Promise.all([...this.concluding]);
  }

  async onModuleDestroy(): Promise<void> {
    await this.settled();
  }

  private track(work: Promise<void>): void {
    this.concluding.add(work);
    void work.finally(() => this.concluding.delete(work));
  }

  /** Stores the attempt and queues the next one; if the write fails, the attempt is queued again (sent again). */
  private async conclude(work: DeliveryWork, number: number, at: Date, result: AttemptResult): Promise<void> {
    const outcome = decideOutcome(result, number, work.maxAttempts, this.retryBaseMs);
    const nextAttemptAt =
      outcome.status === 'pending' ? new Date(this.clock.now().getTime() + outcome.retryInMs) : null;
    let recorded: boolean;
    try {
      recorded = await this.outcomes.call({
        deliveryId: work.id,
        attempt: number,
        at,
        durationMs: result.durationMs,
        ...describeResult(result),
        status: outcome.status,
        nextAttemptAt,
        disableSubscription: outcome.status === 'disabled' ? outcome.reason : undefined,
      });
    } catch (error) {
      this.logger.error(
        `could not store attempt ${number} of webhook delivery ${work.id}, trying it again: ${(error as Error).message}`,
      );
      // Its own job id: BullMQ keeps the id of the job that sent it as completed, and would ignore a reuse.
      await this.jobs
        .schedule(
          deliverWebhookJob,
          { deliveryId: work.id, attempt: number },
          {
            jobId: `${deliverJobId(work.id, number)}.again-${Date.now()}`,
            runAt: new Date(Date.now() + JOB_BACKOFF_MS),
            attempts: JOB_ATTEMPTS,
            backoffMs: JOB_BACKOFF_MS,
          },
        )
        .catch(() => undefined);
      return;
    }
    if (!recorded) return;
    if (nextAttemptAt) await this.enqueue(work.id, number + 1, nextAttemptAt);
    if (outcome.status === 'failed' || outcome.status === 'disabled') {
      this.logger.warn(
        `webhook delivery ${work.id} (${work.eventType} ${work.eventId}) ${outcome.status} after attempt ${number}: ` +
          `${describeResult(result).error ?? ''}`,
      );
    }
  }

  private deliversHere(): boolean {
    return this.jobs.registeredJobs().some((j) => j.name === deliverWebhookJob.name && j.runsHere);
  }

  /**
   * The row as created, for its first attempt only and only while fresh: a later attempt, or one queued long after,
   * reads the delivery again (its subscription may have been disabled or deleted since).
   */
  private takePrimed(deliveryId: string, attempt: number): DeliveryWork | undefined {
    const entry = this.primed.get(deliveryId);
    if (!entry) return undefined;
    this.primed.delete(deliveryId);
    return attempt === 1 && Date.now() - entry.at <= PRIMED_FOR_MS ? entry.work : undefined;
  }

  /** A disabling attempt touches the subscription and its other deliveries: that rare one keeps its transaction. */
  private async recordMany(attempts: AttemptRecordInput[]): Promise<boolean[]> {
    const results = new Map<AttemptRecordInput, boolean>();
    const plain: AttemptRecordInput[] = [];
    const seen = new Set<string>();
    for (const a of attempts) {
      if (a.disableSubscription !== undefined || seen.has(a.deliveryId))
        results.set(a, await this.repository.recordAttempt(a));
      else {
        seen.add(a.deliveryId);
        plain.push(a);
      }
    }
    const stored = await this.repository.recordAttempts(plain);
    plain.forEach((a, i) => results.set(a, stored[i]));
    return attempts.map((a) => results.get(a) ?? false);
  }

  /** The address is checked again before every attempt: a name that was public at subscription time may not be now. */
  private async send(work: DeliveryWork, at: Date): Promise<AttemptResult> {
    const check = await this.guard.check(work.url);
    if (!check.ok)
      return check.refused
        ? { refused: check.reason, durationMs: 0 }
        : { error: check.reason, durationMs: 0 };
    const body: WebhookBody = {
      type: work.eventType as WebhookEventType,
      timestamp: work.createdAt.toISOString(),
      data: work.payload as WebhookBody['data'],
    };
    const text = JSON.stringify(body);
    const headers = webhookHeaders(work.secret, work.eventId, Math.floor(at.getTime() / 1000), text);
    return this.http.send({
      target: check.target,
      headers: { ...headers },
      body: text,
      timeoutMs: this.timeoutMs,
    });
  }
}
