export const SUBSCRIPTION_STATUSES = ['active', 'disabled'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'disabled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface SubscriptionRecord {
  id: string;
  siteId: string | null;
  url: string;
  events: string[];
  status: SubscriptionStatus;
  disabledReason: string | null;
  createdAt: Date;
}

export interface DeliveryRecord {
  id: string;
  subscriptionId: string;
  siteId: string;
  eventType: string;
  eventId: string;
  payload: unknown;
  status: DeliveryStatus;
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: Date | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface AttemptRecord {
  deliveryId: string;
  attempt: number;
  at: Date;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** What one attempt needs: the delivery, plus where and how to send it. */
export interface DeliveryWork extends DeliveryRecord {
  url: string;
  secret: string;
  subscriptionStatus: SubscriptionStatus;
}

/** The state a delivery is left in after an attempt. */
export interface AttemptRecordInput extends AttemptRecord {
  status: DeliveryStatus;
  nextAttemptAt: Date | null;
  /** Set when the endpoint asked to be unsubscribed (410). */
  disableSubscription?: string;
}
