import { BookingRelease, InvoiceOverdue, SiteGrantsNotice } from '@cw/events';

/**
 * The typed event map of webhooks: event type -> payload (the `data` of the POSTed body). A subscription names
 * types from here, or '*'; adding an event means adding it here and publishing it with WebhookDispatcher.
 */
export interface WebhookEventMap {
  'booking.released': BookingRelease;
  'access.grants': SiteGrantsNotice;
  'invoice.overdue': InvoiceOverdue;
}

export type WebhookEventType = keyof WebhookEventMap;

export const WEBHOOK_EVENT_TYPES = [
  'booking.released',
  'access.grants',
  'invoice.overdue',
] as const satisfies readonly WebhookEventType[];

export const ALL_EVENTS = '*';

/** The JSON body POSTed for every event, in the Standard Webhooks shape. */
export interface WebhookBody<E extends WebhookEventType = WebhookEventType> {
  type: E;
  /** When the event was published (ISO 8601, UTC); the same on every retry. */
  timestamp: string;
  data: WebhookEventMap[E];
}
