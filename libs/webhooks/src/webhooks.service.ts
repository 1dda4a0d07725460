import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { canActOnSite, Principal } from '@cw/auth';
import { Clock, DomainError, ErrorCode, forbidden, invalid, notFound } from '@cw/common';
import { AppConfig } from '@cw/config';
import { WebhookDeliverer } from './delivery/webhook.deliverer';
import { WebhookUrlGuard } from './delivery/webhook-url.guard';
import { CreateWebhookInput, ListDeliveriesQuery } from './dto/webhook.schemas';
import { generateWebhookSecret } from './signing/standard-webhooks';
import { WebhooksRepository } from './webhooks.repository';
import { AttemptRecord, DeliveryRecord, SubscriptionRecord } from './webhooks.types';

/** Subscriptions and their delivery log, as seen by one API key. */
@Injectable()
export class WebhooksService {
  private readonly maxAttempts: number;

  constructor(
    private readonly repository: WebhooksRepository,
    private readonly guard: WebhookUrlGuard,
    private readonly deliverer: WebhookDeliverer,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.maxAttempts = config.get('WEBHOOK_MAX_ATTEMPTS');
  }

  async create(
    caller: Principal,
    input: CreateWebhookInput,
  ): Promise<{ subscription: SubscriptionRecord; secret: string }> {
    const siteId = input.site === undefined ? caller.siteId : input.site;
    if (siteId === null && caller.siteId !== null) {
      throw forbidden('only a key that spans every site may subscribe to every site');
    }
    if (siteId !== null) {
      if (!canActOnSite(caller, siteId)) throw forbidden(`this key may not act on site ${siteId}`);
      if (!(await this.repository.siteExists(siteId))) {
        throw invalid('webhook subscription is invalid', [{ path: 'site', message: `no site ${siteId}` }]);
      }
    }
    const check = await this.guard.check(input.url);
    if (!check.ok) throw invalid('webhook URL is not allowed', [{ path: 'url', message: check.reason }]);
    const secret = generateWebhookSecret();
    const subscription = await this.repository.insertSubscription({
      id: `wh_${randomUUID().replace(/-/g, '')}`,
      siteId,
      url: input.url,
      events: input.events,
      secret,
      createdBy: caller.keyId,
    });
    return { subscription, secret };
  }

  list(caller: Principal): Promise<SubscriptionRecord[]> {
    return this.repository.listSubscriptions(caller.siteId);
  }

  /** Another site's subscription answers 404, as if it did not exist: its id and URL are not the caller's business. */
  async get(caller: Principal, id: string): Promise<SubscriptionRecord> {
    const subscription = await this.repository.findSubscription(id);
    if (!subscription || !visibleTo(caller, subscription)) throw notFound(`webhook subscription ${id}`);
    return subscription;
  }

  async remove(caller: Principal, id: string): Promise<void> {
    await this.get(caller, id);
    await this.repository.deleteSubscription(id);
  }

  async deliveries(
    caller: Principal,
    id: string,
    query: ListDeliveriesQuery,
  ): Promise<{ delivery: DeliveryRecord; attempts: AttemptRecord[] }[]> {
    await this.get(caller, id);
    const deliveries = await this.repository.listDeliveries(id, query);
    const attempts = await this.repository.listAttempts(deliveries.map((d) => d.id));
    return deliveries.map((delivery) => ({
      delivery,
      attempts: attempts.filter((a) => a.deliveryId === delivery.id),
    }));
  }

  /** Queues the delivery again now, with a fresh budget of attempts; its attempt log continues where it was. */
  async redeliver(
    caller: Principal,
    id: string,
    deliveryId: string,
  ): Promise<{ delivery: DeliveryRecord; attempt: number }> {
    const subscription = await this.get(caller, id);
    if (!(await this.repository.findDelivery(id, deliveryId))) throw notFound(`delivery ${deliveryId}`);
    if (subscription.status !== 'active') {
      throw new DomainError(ErrorCode.Conflict, `webhook subscription ${id} is disabled`);
    }
    const attempt = await this.repository.requeue(deliveryId, this.maxAttempts, this.clock.now());
    if (attempt === undefined) throw notFound(`delivery ${deliveryId}`);
    await this.deliverer.enqueueNow(deliveryId, attempt);
    const delivery = await this.repository.findDelivery(id, deliveryId);
    if (!delivery) throw notFound(`delivery ${deliveryId}`);
    return { delivery, attempt };
  }
}

function visibleTo(caller: Principal, subscription: SubscriptionRecord): boolean {
  return caller.siteId === null || subscription.siteId === caller.siteId;
}
