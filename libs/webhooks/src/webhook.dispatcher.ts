import { Injectable } from '@nestjs/common';
import { Clock } from '@cw/common';
import { AppConfig } from '@cw/config';
import { Queryable } from '@cw/database';
import { WebhookDeliverer } from './delivery/webhook.deliverer';
import { WebhookEventMap, WebhookEventType } from './webhooks.events';
import { WebhooksRepository } from './webhooks.repository';
import { DeliveryWork } from './webhooks.types';

/** What engines call to tell subscribers about an event; delivery happens on the job queue, never inline. */
@Injectable()
export class WebhookDispatcher {
  private readonly maxAttempts: number;

  constructor(
    private readonly repository: WebhooksRepository,
    private readonly deliverer: WebhookDeliverer,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.maxAttempts = config.get('WEBHOOK_MAX_ATTEMPTS');
  }

  /**
   * One delivery per active subscription of the site (or of every site) that wants `eventType`, stored first, then
   * queued. `eventId` is the idempotency key: publishing it again (a replay, a retried release) creates nothing new.
   * Returns the ids of the deliveries created by this call.
   */
  async publish<E extends WebhookEventType>(
    siteId: string,
    eventType: E,
    eventId: string,
    payload: WebhookEventMap[E],
  ): Promise<string[]> {
    const ids = await this.repository.createDeliveries({
      siteId,
      eventType,
      eventId,
      payload,
      maxAttempts: this.maxAttempts,
    });
    await this.enqueue(ids);
    return ids;
  }

  /** `publish` for many events of one type and site: one statement stores all their deliveries. */
  async publishMany<E extends WebhookEventType>(
    siteId: string,
    eventType: E,
    events: { eventId: string; payload: WebhookEventMap[E] }[],
  ): Promise<string[]> {
    const created = await this.repository.createDeliveriesMany({
      siteId,
      eventType,
      events,
      maxAttempts: this.maxAttempts,
    });
    await this.dispatch(created);
    return created.map((d) => d.id);
  }

  /**
   * `publishMany`'s first half inside the caller's transaction: the deliveries commit with the change they announce
   * and wait for no turn of their own at the database. `dispatch` them once that transaction has committed; should
   * the process stop in between, they are stored as pending and queued at the next boot.
   */
  stageMany<E extends WebhookEventType>(
    tx: Queryable,
    siteId: string,
    eventType: E,
    events: { eventId: string; payload: WebhookEventMap[E] }[],
  ): Promise<DeliveryWork[]> {
    return this.repository.createDeliveriesMany(
      { siteId, eventType, events, maxAttempts: this.maxAttempts },
      tx,
    );
  }

  /** Queues deliveries stored by `stageMany`, after their transaction committed. */
  async dispatch(created: DeliveryWork[]): Promise<void> {
    this.deliverer.prime(created);
    await this.enqueue(created.map((d) => d.id));
  }

  private async enqueue(ids: string[]): Promise<void> {
    const now = this.clock.now();
    // Should queueing fail here, the deliveries are stored as pending and re-queued at the next boot.
    await Promise.all(ids.map((id) => this.deliverer.enqueue(id, 1, now)));
  }
}
