import { createHmac } from 'node:crypto';
import { generateWebhookSecret, signWebhook, verifyWebhook, webhookHeaders } from './standard-webhooks';

describe('Standard Webhooks signing', () => {
  const secret = generateWebhookSecret();
  const body = JSON.stringify({
    type: 'booking.released',
    timestamp: '2026-03-10T12:00:00.000Z',
    data: { a: 1 },
  });
  const nowS = 1_773_144_000;

  it('makes whsec_ secrets of 32 random bytes', () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(secret);
  });

  it('signs `${id}.${timestamp}.${body}` with HMAC-SHA256 keyed by the decoded secret', () => {
    const independent = createHmac('sha256', Buffer.from(secret.replace('whsec_', ''), 'base64'))
      .update(`evt_1.${nowS}.${body}`)
      .digest('base64');
    expect(signWebhook(secret, 'evt_1', nowS, body)).toBe(`v1,${independent}`);
    expect(webhookHeaders(secret, 'evt_1', nowS, body)).toEqual({
      'webhook-id': 'evt_1',
      'webhook-timestamp': String(nowS),
      'webhook-signature': `v1,${independent}`,
    });
  });

  it('matches the published Standard Webhooks example', () => {
    expect(
      signWebhook(
        'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        'msg_p5jXN8AQM9LWM0D4loKWxJek',
        1614265330,
        '{"test": 2432232314}',
      ),
    ).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  describe('verifyWebhook', () => {
    const headers = webhookHeaders(secret, 'evt_1', nowS, body);

    it('accepts what was signed', () => {
      expect(verifyWebhook(secret, { ...headers }, body, { nowS })).toBe(true);
    });

    it('rejects a tampered body, another id, another secret, or missing headers', () => {
      expect(verifyWebhook(secret, { ...headers }, body.replace('"a":1', '"a":2'), { nowS })).toBe(false);
      expect(verifyWebhook(secret, { ...headers, 'webhook-id': 'evt_2' }, body, { nowS })).toBe(false);
      expect(verifyWebhook(generateWebhookSecret(), { ...headers }, body, { nowS })).toBe(false);
      expect(verifyWebhook(secret, { 'webhook-id': 'evt_1' }, body, { nowS })).toBe(false);
    });

    it('rejects a timestamp outside the tolerance (replays)', () => {
      expect(verifyWebhook(secret, { ...headers }, body, { nowS: nowS + 301 })).toBe(false);
      expect(verifyWebhook(secret, { ...headers }, body, { nowS: nowS - 301 })).toBe(false);
      expect(verifyWebhook(secret, { ...headers }, body, { nowS: nowS + 299 })).toBe(true);
    });

    it('accepts any one of several signatures (secret rotation)', () => {
      const rotated = `v1,${Buffer.alloc(32).toString('base64')} ${headers['webhook-signature']}`;
      expect(verifyWebhook(secret, { ...headers, 'webhook-signature': rotated }, body, { nowS })).toBe(true);
    });
  });
});
