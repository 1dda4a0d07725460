import { Injectable } from '@nestjs/common';
import { Clock } from '@cw/common';
import { AppConfig } from '@cw/config';
import { WebhookDeliverer } from './delivery/webhook.deliverer';
import { WebhookEventMap, WebhookEventType } from './webhooks.events';
import { WebhooksRepository } from './webhooks.repository';

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
    this.deliverer.prime(created);
    const ids = created.map((d) => d.id);
    await this.enqueue(ids);
    return ids;
  }

  private async enqueue(ids: string[]): Promise<void> {
    const now = this.clock.now();
    // Should queueing fail here, the deliveries are stored as pending and re-queued at the next boot.
    await Promise.all(ids.map((id) => this.deliverer.enqueue(id, 1, now)));
  }
}
