import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '@cw/database';
import {
  AttemptRecord,
  AttemptRecordInput,
  DeliveryRecord,
  DeliveryStatus,
  DeliveryWork,
  SubscriptionRecord,
  SubscriptionStatus,
} from './webhooks.types';

interface SubscriptionRow {
  id: string;
  site_id: string | null;
  url: string;
  events: string[];
  status: SubscriptionStatus;
  disabled_reason: string | null;
  created_at: Date;
}

interface DeliveryRow {
  id: string;
  subscription_id: string;
  site_id: string;
  event_type: string;
  event_id: string;
  payload: unknown;
  status: DeliveryStatus;
  attempts: number;
  max_attempts: number;
  next_attempt_at: Date | null;
  last_status: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

interface AttemptRow {
  delivery_id: string;
  attempt: number;
  at: Date;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

const SUBSCRIPTION_COLUMNS = 'id, site_id, url, events, status, disabled_reason, created_at';
const DELIVERY_COLUMNS = `d.id, d.subscription_id, d.site_id, d.event_type, d.event_id, d.payload, d.status, d.attempts,
  d.max_attempts, d.next_attempt_at, d.last_status, d.last_error, d.created_at, d.delivered_at`;

const toSubscription = (r: SubscriptionRow): SubscriptionRecord => ({
  id: r.id,
  siteId: r.site_id,
  url: r.url,
  events: r.events,
  status: r.status,
  disabledReason: r.disabled_reason,
  createdAt: r.created_at,
});

const toDelivery = (r: DeliveryRow): DeliveryRecord => ({
  id: r.id,
  subscriptionId: r.subscription_id,
  siteId: r.site_id,
  eventType: r.event_type,
  eventId: r.event_id,
  payload: r.payload,
  status: r.status,
  attempts: r.attempts,
  maxAttempts: r.max_attempts,
  nextAttemptAt: r.next_attempt_at,
  lastStatus: r.last_status,
  lastError: r.last_error,
  createdAt: r.created_at,
  deliveredAt: r.delivered_at,
});

@Injectable()
export class WebhooksRepository {
  constructor(private readonly db: Database) {}

  async siteExists(siteId: string): Promise<boolean> {
    const { rows } = await this.db.query('SELECT 1 FROM sites WHERE id = $1', [siteId]);
    return rows.length > 0;
  }

  async insertSubscription(s: {
    id: string;
    siteId: string | null;
    url: string;
    events: string[];
    secret: string;
    createdBy: string;
  }): Promise<SubscriptionRecord> {
    const { rows } = await this.db.query<SubscriptionRow>(
      `INSERT INTO webhook_subscriptions (id, site_id, url, events, secret, created_by)
       VALUES ($1, $2, $3, $4::text[], $5, $6) RETURNING ${SUBSCRIPTION_COLUMNS}`,
      [s.id, s.siteId, s.url, s.events, s.secret, s.createdBy],
    );
    return toSubscription(rows[0]);
  }

  /** `siteId` null: every subscription; otherwise those of that one site (not the all-sites ones). */
  async listSubscriptions(siteId: string | null): Promise<SubscriptionRecord[]> {
    const { rows } = await this.db.query<SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions
       WHERE ($1::text IS NULL OR site_id = $1) ORDER BY created_at, id`,
      [siteId],
    );
    return rows.map(toSubscription);
  }

  async findSubscription(id: string): Promise<SubscriptionRecord | undefined> {
    const { rows } = await this.db.query<SubscriptionRow>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscriptions WHERE id = $1`,
      [id],
    );
    return rows[0] && toSubscription(rows[0]);
  }

  async deleteSubscription(id: string): Promise<boolean> {
    const result = await this.db.query('DELETE FROM webhook_subscriptions WHERE id = $1', [id]);
    return result.rowCount > 0;
  }

  /**
   * One pending delivery per active subscription that wants this event on this site. The unique
   * (subscription_id, event_id) makes publishing the same event again a no-op: only new delivery ids come back.
   */
  async createDeliveries(e: {
    siteId: string;
    eventType: string;
    eventId: string;
    payload: unknown;
    maxAttempts: number;
  }): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `INSERT INTO webhook_deliveries (id, subscription_id, site_id, event_type, event_id, payload, max_attempts,
         next_attempt_at)
       SELECT 'whd_' || replace(gen_random_uuid()::text, '-', ''), s.id, $1, $2, $3, $4::jsonb, $5, now()
       FROM webhook_subscriptions s
       WHERE s.status = 'active' AND (s.site_id IS NULL OR s.site_id = $1)
         AND ($2 = ANY (s.events) OR '*' = ANY (s.events))
       ORDER BY s.id
       ON CONFLICT (subscription_id, event_id) DO NOTHING
       RETURNING id`,
      [e.siteId, e.eventType, e.eventId, JSON.stringify(e.payload), e.maxAttempts],
    );
    return rows.map((r) => r.id);
  }

  /**
   * `createDeliveries` for many events of one type and site in one statement (a burst of releases): one delivery per
   * event and subscription that wants it. Only new deliveries come back, in the order of the events, each with what
   * its first attempt needs, so that attempt does not read it again. `tx` lets an engine store them in its own
   * transaction, with the change they announce.
   */
  async createDeliveriesMany(
    e: {
      siteId: string;
      eventType: string;
      events: { eventId: string; payload: unknown }[];
      maxAttempts: number;
    },
    tx: Queryable = this.db,
  ): Promise<DeliveryWork[]> {
    if (e.events.length === 0) return [];
    const { rows } = await tx.query<
      DeliveryRow & { url: string; secret: string; subscription_status: SubscriptionStatus }
    >(
      `WITH created AS (
         INSERT INTO webhook_deliveries (id, subscription_id, site_id, event_type, event_id, payload, max_attempts,
           next_attempt_at)
         SELECT 'whd_' || replace(gen_random_uuid()::text, '-', ''), s.id, $1, $2, ev.event_id, ev.payload::jsonb, $5,
           now()
         FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS ev(event_id, payload, n)
         JOIN webhook_subscriptions s ON s.status = 'active' AND (s.site_id IS NULL OR s.site_id = $1)
           AND ($2 = ANY (s.events) OR '*' = ANY (s.events))
         ORDER BY ev.n, s.id
         ON CONFLICT (subscription_id, event_id) DO NOTHING
         RETURNING *
       )
       SELECT ${DELIVERY_COLUMNS}, s.url, s.secret, s.status AS subscription_status
       FROM created d JOIN webhook_subscriptions s ON s.id = d.subscription_id`,
      [
        e.siteId,
        e.eventType,
        e.events.map((x) => x.eventId),
        e.events.map((x) => JSON.stringify(x.payload)),
        e.maxAttempts,
      ],
    );
    const order = new Map(e.events.map((x, i) => [x.eventId, i]));
    return rows
      .sort(
        (a, b) =>
          order.get(a.event_id)! - order.get(b.event_id)! ||
          a.subscription_id.localeCompare(b.subscription_id),
      )
      .map((row) => ({
        ...toDelivery(row),
        url: row.url,
        secret: row.secret,
        subscriptionStatus: row.subscription_status,
      }));
  }

  async findWork(deliveryId: string): Promise<DeliveryWork | undefined> {
    return (await this.findWorkMany([deliveryId]))[0];
  }

  /** `findWork` for many deliveries in one statement; undefined where there is none, in the order asked. */
  async findWorkMany(deliveryIds: string[]): Promise<(DeliveryWork | undefined)[]> {
    if (deliveryIds.length === 0) return [];
    const { rows } = await this.db.query<
      DeliveryRow & { url: string; secret: string; subscription_status: SubscriptionStatus }
    >(
      `SELECT ${DELIVERY_COLUMNS}, s.url, s.secret, s.status AS subscription_status
       FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
       WHERE d.id = ANY ($1::text[])`,
      [deliveryIds],
    );
    const byId = new Map(
      rows.map((row) => [
        row.id,
        { ...toDelivery(row), url: row.url, secret: row.secret, subscriptionStatus: row.subscription_status },
      ]),
    );
    return deliveryIds.map((id) => byId.get(id));
  }

  /**
   * Many attempts that disable nothing, each stored with its delivery's new state, in one statement (atomic, as a
   * single statement is). Guarded like `recordAttempt`: per attempt, false when another run already logged it.
   */
  async recordAttempts(attempts: AttemptRecordInput[]): Promise<boolean[]> {
    if (attempts.length === 0) return [];
    const { rows } = await this.db.query<{ delivery_id: string; attempt: number }>(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::int[], $3::timestamptz[], $4::int[], $5::text[], $6::int[], $7::text[],
           $8::timestamptz[]) AS i(delivery_id, attempt, at, status_code, error, duration_ms, status, next_attempt_at)
       ), updated AS (
         UPDATE webhook_deliveries d SET attempts = i.attempt, status = i.status, next_attempt_at = i.next_attempt_at,
           last_status = i.status_code, last_error = i.error,
           delivered_at = CASE WHEN i.status = 'delivered' THEN i.at ELSE d.delivered_at END
         FROM input i
         WHERE d.id = i.delivery_id AND d.attempts = i.attempt - 1 AND d.status = 'pending'
         RETURNING d.id, d.attempts
       )
       INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, error, duration_ms)
       SELECT i.delivery_id, i.attempt, i.at, i.status_code, i.error, i.duration_ms
       FROM input i JOIN updated u ON u.id = i.delivery_id AND u.attempts = i.attempt
       RETURNING delivery_id, attempt`,
      [
        attempts.map((a) => a.deliveryId),
        attempts.map((a) => a.attempt),
        attempts.map((a) => a.at.toISOString()),
        attempts.map((a) => a.statusCode),
        attempts.map((a) => a.error),
        attempts.map((a) => a.durationMs),
        attempts.map((a) => a.status),
        attempts.map((a) => a.nextAttemptAt?.toISOString() ?? null),
      ],
    );
    const stored = new Set(rows.map((r) => `${r.delivery_id}#${r.attempt}`));
    return attempts.map((a) => stored.has(`${a.deliveryId}#${a.attempt}`));
  }

  /**
   * Stores an attempt and the delivery's new state together. Guarded on the previous attempt count, so a job that
   * runs twice (a retry after a crash) cannot log the same attempt twice: false means another run already did.
   */
  async recordAttempt(a: AttemptRecordInput): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const updated = await tx.query(
        `UPDATE webhook_deliveries SET attempts = $2, status = $3, next_attempt_at = $4, last_status = $5,
           last_error = $6, delivered_at = CASE WHEN $3 = 'delivered' THEN $7::timestamptz ELSE delivered_at END
         WHERE id = $1 AND attempts = $2 - 1 AND status = 'pending'`,
        [a.deliveryId, a.attempt, a.status, a.nextAttemptAt, a.statusCode, a.error, a.at],
      );
      if (updated.rowCount === 0) return false;
      await tx.query(
        `INSERT INTO webhook_attempts (delivery_id, attempt, at, status_code, error, duration_ms)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [a.deliveryId, a.attempt, a.at, a.statusCode, a.error, a.durationMs],
      );
      if (a.disableSubscription !== undefined) {
        await tx.query(
          `UPDATE webhook_subscriptions SET status = 'disabled', disabled_reason = $2
           WHERE id = (SELECT subscription_id FROM webhook_deliveries WHERE id = $1)`,
          [a.deliveryId, a.disableSubscription],
        );
        await tx.query(
          `UPDATE webhook_deliveries SET status = 'disabled', next_attempt_at = NULL,
             last_error = coalesce(last_error, 'subscription disabled')
           WHERE subscription_id = (SELECT subscription_id FROM webhook_deliveries WHERE id = $1)
             AND status = 'pending'`,
          [a.deliveryId],
        );
      }
      return true;
    });
  }

  /** A delivery whose subscription is no longer active is not attempted. */
  async markDisabled(deliveryId: string, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE webhook_deliveries SET status = 'disabled', next_attempt_at = NULL, last_error = $2
       WHERE id = $1 AND status = 'pending'`,
      [deliveryId, reason],
    );
  }

  async listDeliveries(
    subscriptionId: string,
    filter: { status?: DeliveryStatus; limit: number },
  ): Promise<DeliveryRecord[]> {
    const { rows } = await this.db.query<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d
       WHERE d.subscription_id = $1 AND ($2::text IS NULL OR d.status = $2)
       ORDER BY d.created_at DESC, d.id LIMIT $3`,
      [subscriptionId, filter.status ?? null, filter.limit],
    );
    return rows.map(toDelivery);
  }

  async findDelivery(subscriptionId: string, deliveryId: string): Promise<DeliveryRecord | undefined> {
    const { rows } = await this.db.query<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d WHERE d.subscription_id = $1 AND d.id = $2`,
      [subscriptionId, deliveryId],
    );
    return rows[0] && toDelivery(rows[0]);
  }

  async listAttempts(deliveryIds: string[]): Promise<AttemptRecord[]> {
    if (deliveryIds.length === 0) return [];
    const { rows } = await this.db.query<AttemptRow>(
      `SELECT delivery_id, attempt, at, status_code, error, duration_ms FROM webhook_attempts
       WHERE delivery_id = ANY ($1::text[]) ORDER BY delivery_id, attempt`,
      [deliveryIds],
    );
    return rows.map((r) => ({
      deliveryId: r.delivery_id,
      attempt: r.attempt,
      at: r.at,
      statusCode: r.status_code,
      error: r.error,
      durationMs: r.duration_ms,
    }));
  }

  /** Pending again, due now, with `extraAttempts` more allowed; the next attempt number comes back. */
  async requeue(deliveryId: string, extraAttempts: number, at: Date): Promise<number | undefined> {
    const { rows } = await this.db.query<{ attempts: number }>(
      `UPDATE webhook_deliveries SET status = 'pending', max_attempts = attempts + $2, next_attempt_at = $3
       WHERE id = $1 RETURNING attempts`,
      [deliveryId, extraAttempts, at],
    );
    return rows[0] && rows[0].attempts + 1;
  }

  /** Deliveries still to attempt, soonest first: what a process re-queues at boot. */
  async pendingDeliveries(limit: number): Promise<{ id: string; attempt: number; at: Date }[]> {
    const { rows } = await this.db.query<{ id: string; attempts: number; next_attempt_at: Date | null }>(
      `SELECT id, attempts, next_attempt_at FROM webhook_deliveries WHERE status = 'pending'
       ORDER BY next_attempt_at NULLS FIRST, id LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ id: r.id, attempt: r.attempts + 1, at: r.next_attempt_at ?? new Date(0) }));
  }
}
