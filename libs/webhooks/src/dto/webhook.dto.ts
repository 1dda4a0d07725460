import {
  AttemptRecord,
  DeliveryRecord,
  DeliveryStatus,
  SubscriptionRecord,
  SubscriptionStatus,
} from '../webhooks.types';

// The public shapes. The secret appears in CreatedWebhookDto only: it is shown once.

export interface WebhookDto {
  id: string;
  url: string;
  events: string[];
  site: string | null;
  status: SubscriptionStatus;
  disabledReason: string | null;
  createdAt: string;
}

export interface CreatedWebhookDto extends WebhookDto {
  secret: string;
}

export interface AttemptDto {
  attempt: number;
  at: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface DeliveryDto {
  id: string;
  eventType: string;
  eventId: string;
  site: string;
  status: DeliveryStatus;
  attemptCount: number;
  maxAttempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  payload: unknown;
  attempts: AttemptDto[];
}

export const toWebhookDto = (s: SubscriptionRecord): WebhookDto => ({
  id: s.id,
  url: s.url,
  events: s.events,
  site: s.siteId,
  status: s.status,
  disabledReason: s.disabledReason,
  createdAt: s.createdAt.toISOString(),
});

export const toAttemptDto = (a: AttemptRecord): AttemptDto => ({
  attempt: a.attempt,
  at: a.at.toISOString(),
  statusCode: a.statusCode,
  error: a.error,
  durationMs: a.durationMs,
});

export const toDeliveryDto = (d: DeliveryRecord, attempts: AttemptRecord[]): DeliveryDto => ({
  id: d.id,
  eventType: d.eventType,
  eventId: d.eventId,
  site: d.siteId,
  status: d.status,
  attemptCount: d.attempts,
  maxAttempts: d.maxAttempts,
  nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
  lastStatus: d.lastStatus,
  lastError: d.lastError,
  createdAt: d.createdAt.toISOString(),
  deliveredAt: d.deliveredAt?.toISOString() ?? null,
  payload: d.payload,
  attempts: attempts.map(toAttemptDto),
});
