import { LookupAddress } from 'node:dns';
import { checkWebhookUrl, LookupAll } from './webhook-target';

const resolver =
  (table: Record<string, string[]>): LookupAll =>
  async (host) => {
    const found = table[host];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return found.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

const lookup = resolver({
  'hooks.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  'sneaky.example.com': ['93.184.216.34', '10.0.0.5'],
  localhost: ['127.0.0.1', '::1'],
  metadata: ['169.254.169.254'],
});
const strict = { allowPrivate: false, lookup };

describe('checkWebhookUrl', () => {
  it('accepts an https URL whose host resolves only to public addresses, pinning them', async () => {
    const result = await checkWebhookUrl('https://hooks.example.com/in?x=1', strict);
    expect(result.ok && result.target.addresses.map((a) => a.address)).toEqual([
      '93.184.216.34',
      '2606:2800:220:1:248:1893:25c8:1946',
    ]);
  });

  it.each([
    ['http://localhost:3000/hook', /loopback address \(127\.0\.0\.1\)/],
    ['http://127.0.0.1/hook', /loopback/],
    ['http://2130706433/hook', /loopback/],
    ['http://[::1]:8080/hook', /loopback/],
    ['http://[::ffff:127.0.0.1]/hook', /loopback/],
    ['http://0.0.0.0/hook', /unspecified/],
    ['http://metadata/latest', /link-local address \(169\.254\.169\.254\)/],
    ['http://sneaky.example.com/', /private address \(10\.0\.0\.5\)/],
    ['http://[fd00::1]/', /unique-local/],
    ['http://100.100.1.1/', /cgnat/],
  ])('refuses %s', async (url, reason) => {
    const result = await checkWebhookUrl(url, strict);
    expect(result).toEqual({ ok: false, refused: true, reason: expect.stringMatching(reason) });
  });

  it.each([
    ['ftp://hooks.example.com/', /only http and https/],
    ['file:///etc/passwd', /only http and https/],
    ['https://user:pw@hooks.example.com/', /credentials/],
    ['not a url', /not a valid URL/],
  ])('refuses %s by its form', async (url, reason) => {
    expect(await checkWebhookUrl(url, strict)).toEqual({
      ok: false,
      refused: true,
      reason: expect.stringMatching(reason),
    });
  });

  it('reports a host that does not resolve as retryable, not refused', async () => {
    expect(await checkWebhookUrl('https://gone.example.com/', strict)).toEqual({
      ok: false,
      refused: false,
      reason: 'host gone.example.com does not resolve (ENOTFOUND)',
    });
  });

  it('allows private and loopback targets when WEBHOOK_ALLOW_PRIVATE is set', async () => {
    const result = await checkWebhookUrl('http://localhost:3000/hook', { allowPrivate: true, lookup });
    expect(result.ok).toBe(true);
  });
});
