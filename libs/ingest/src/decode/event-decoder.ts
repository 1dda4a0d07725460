import { fieldErrors } from '@cw/common';
import { EventType, httpEnvelopeSchema, payloadSchemas } from '@cw/events';
import { Candidate, Refusal } from './candidate';
import { TopicRoute } from './mqtt-topic';

export interface Decoded {
  candidates: { index: number; candidate: Candidate }[];
  refusals: Refusal[];
}

const MAX_RAW_CHARS = 64 * 1024;

function rawOf(item: unknown): string {
  const text = typeof item === 'string' ? item : JSON.stringify(item);
  return text === undefined
    ? String(item)
    : text.length > MAX_RAW_CHARS
      ? text.slice(0, MAX_RAW_CHARS)
      : text;
}

function eventIdOf(item: unknown): string | null {
  const id = (item as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.length <= 128 ? id : null;
}

function validate(
  type: EventType,
  siteId: string,
  deviceId: string | null,
  item: unknown,
  topic: string | null,
) {
  const parsed = payloadSchemas[type].safeParse(item);
  if (!parsed.success) return { errors: fieldErrors(parsed.error) };
  const raw = rawOf(item);
  switch (type) {
    case 'door':
      return {
        candidate: { type, siteId, deviceId: deviceId!, payload: parsed.data, raw, topic } as Candidate,
      };
    case 'sensor':
      return {
        candidate: { type, siteId, deviceId: deviceId!, payload: parsed.data, raw, topic } as Candidate,
      };
    case 'booking':
      return { candidate: { type, siteId, deviceId: null, payload: parsed.data, raw, topic } as Candidate };
  }
}

/** An MQTT message is one event or an array of events; its topic says the site, type and device. */
export function decodeMqttPayload(
  route: TopicRoute,
  topic: string,
  payload: Buffer,
  maxItems: number,
): Decoded {
  const out: Decoded = { candidates: [], refusals: [] };
  const text = payload.toString('utf8');
  const refuse = (
    index: number,
    reason: string,
    raw: string,
    errors: Refusal['errors'] = [],
    eventId: string | null = null,
  ) =>
    out.refusals.push({ index, siteId: route.siteId, eventId, reason, errors, raw, topic, source: 'mqtt' });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    refuse(0, `malformed JSON: ${(error as Error).message}`, text.slice(0, MAX_RAW_CHARS));
    return out;
  }
  const items = Array.isArray(body) ? body : [body];
  if (items.length > maxItems) {
    refuse(
      0,
      `message holds ${items.length} events; at most ${maxItems} per message`,
      text.slice(0, MAX_RAW_CHARS),
    );
    return out;
  }
  items.forEach((item, index) => {
    const result = validate(route.type, route.siteId, route.deviceId, item, topic);
    if (result.candidate) out.candidates.push({ index, candidate: result.candidate });
    else refuse(index, 'invalid event', rawOf(item), result.errors, eventIdOf(item));
  });
  return out;
}

/** An HTTP batch mixes kinds: each item names its `type`, `site`, and `door` or `sensor`. */
export function decodeHttpBatch(items: unknown[]): Decoded {
  const out: Decoded = { candidates: [], refusals: [] };
  items.forEach((item, index) => {
    const envelope = httpEnvelopeSchema.safeParse(item);
    if (!envelope.success) {
      const site = (item as { site?: unknown } | null)?.site;
      out.refusals.push({
        index,
        siteId: typeof site === 'string' && site.length <= 64 ? site : null,
        eventId: eventIdOf(item),
        reason: 'invalid event',
        errors: fieldErrors(envelope.error),
        raw: rawOf(item),
        topic: null,
        source: 'http',
      });
      return;
    }
    const env = envelope.data;
    const deviceId = env.type === 'door' ? env.door : env.type === 'sensor' ? env.sensor : null;
    const { type: _t, site: _s, ...rest } = item as Record<string, unknown>;
    if (env.type === 'door') delete rest.door;
    if (env.type === 'sensor') delete rest.sensor;
    const result = validate(env.type, env.site, deviceId, rest, null);
    if (result.candidate)
      out.candidates.push({ index, candidate: { ...result.candidate, raw: rawOf(item) } });
    else
      out.refusals.push({
        index,
        siteId: env.site,
        eventId: eventIdOf(item),
        reason: 'invalid event',
        errors: result.errors,
        raw: rawOf(item),
        topic: null,
        source: 'http',
      });
  });
  return out;
}
