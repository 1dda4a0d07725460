import { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { classifyAddress } from './address-class';

/** A URL whose host was resolved and checked; requests connect to exactly these addresses. */
export interface WebhookTarget {
  url: URL;
  addresses: LookupAddress[];
}

export type TargetCheck =
  | { ok: true; target: WebhookTarget }
  /** `refused`: the URL breaks the rules (retrying cannot help); otherwise the host did not resolve (it might later). */
  | { ok: false; refused: boolean; reason: string };

export type LookupAll = (hostname: string) => Promise<LookupAddress[]>;

/**
 * Server-side request forgery guard: only http(s), no credentials in the URL, and every address the host resolves to
 * must be public, so a subscriber cannot make the platform call its own loopback, private network or cloud metadata.
 */
export async function checkWebhookUrl(
  raw: string,
  options: { allowPrivate: boolean; lookup: LookupAll },
): Promise<TargetCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, refused: true, reason: 'not a valid URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, refused: true, reason: 'only http and https URLs are allowed' };
  }
  if (url.username || url.password) {
    return {
      ok: false,
      refused: true,
      reason: 'credentials in the URL are not allowed; verify the signature instead',
    };
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: LookupAddress[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await options.lookup(host);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'lookup failed';
      return { ok: false, refused: false, reason: `host ${host} does not resolve (${code})` };
    }
    if (addresses.length === 0) return { ok: false, refused: false, reason: `host ${host} has no address` };
  }
  if (!options.allowPrivate) {
    for (const { address } of addresses) {
      const kind = classifyAddress(address);
      if (kind !== 'public') {
        return {
          ok: false,
          refused: true,
          reason: `host ${host} resolves to a ${kind} address (${address})`,
        };
      }
    }
  }
  return { ok: true, target: { url, addresses } };
}
