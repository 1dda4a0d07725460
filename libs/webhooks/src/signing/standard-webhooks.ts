import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Signing per the Standard Webhooks spec (standardwebhooks.com): the secret is `whsec_` + base64 of random bytes, the
 * HMAC-SHA256 key is those bytes, the signed content is `${webhook-id}.${webhook-timestamp}.${body}`, and the header
 * carries `v1,<base64 signature>` (several, space separated, during a secret rotation).
 */
const PREFIX = 'whsec_';

/** 32 random bytes: the spec asks for 24 to 64. */
export function generateWebhookSecret(): string {
  return `${PREFIX}${randomBytes(32).toString('base64')}`;
}

function keyOf(secret: string): Buffer {
  if (!secret.startsWith(PREFIX)) throw new Error('a webhook secret starts with whsec_');
  return Buffer.from(secret.slice(PREFIX.length), 'base64');
}

export function signWebhook(secret: string, msgId: string, timestampS: number, body: string): string {
  const mac = createHmac('sha256', keyOf(secret)).update(`${msgId}.${timestampS}.${body}`).digest('base64');
  return `v1,${mac}`;
}

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export function webhookHeaders(
  secret: string,
  msgId: string,
  timestampS: number,
  body: string,
): WebhookHeaders {
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(timestampS),
    'webhook-signature': signWebhook(secret, msgId, timestampS, body),
  };
}

export interface VerifyOptions {
  /** Unix seconds; defaults to the system clock. */
  nowS?: number;
  /** How far the timestamp may be from now, either way; the spec's replay protection. Default 300 s. */
  toleranceS?: number;
}

type HeaderBag = Record<string, string | string[] | undefined>;

const header = (headers: HeaderBag, name: string): string | undefined => {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

/** What a receiver runs: true only for an untampered body, signed with this secret, sent recently. */
export function verifyWebhook(
  secret: string,
  headers: HeaderBag,
  body: string,
  options: VerifyOptions = {},
): boolean {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures || !/^\d+$/.test(timestamp)) return false;
  const nowS = options.nowS ?? Math.floor(Date.now() / 1000);
  if (Math.abs(nowS - Number(timestamp)) > (options.toleranceS ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, id, Number(timestamp), body));
  return signatures.split(' ').some((candidate) => {
    const given = Buffer.from(candidate);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
