import { EventType } from '@cw/events';

export interface TopicRoute {
  siteId: string;
  type: EventType;
  /** Door or sensor id; bookings have none in the topic. */
  deviceId: string | null;
}

const SEGMENT = /^[a-zA-Z0-9_.:-]{1,64}$/;

/** `cw/{site}/door/{door}`, `cw/{site}/sensor/{sensor}`, `cw/{site}/booking`; anything else is not ours to ingest. */
export function parseInboundTopic(topic: string, prefix: string): TopicRoute | null {
  const parts = topic.split('/');
  if (parts[0] !== prefix || !parts[1] || !SEGMENT.test(parts[1])) return null;
  const siteId = parts[1];
  if (parts.length === 3 && parts[2] === 'booking') return { siteId, type: 'booking', deviceId: null };
  if (parts.length === 4 && (parts[2] === 'door' || parts[2] === 'sensor') && SEGMENT.test(parts[3])) {
    return { siteId, type: parts[2], deviceId: parts[3] };
  }
  return null;
}

/** Site of any topic under the prefix, for authorisation before the topic is known to be valid. */
export function topicSite(topic: string, prefix: string): string | null {
  const parts = topic.split('/');
  return parts[0] === prefix && parts.length >= 2 && parts[1] ? parts[1] : null;
}
