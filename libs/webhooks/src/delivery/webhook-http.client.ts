import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { LookupAddress } from 'node:dns';
import { Agent as HttpAgent, ClientRequest, request as httpRequest, RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { WebhookTarget } from './webhook-target';

export interface WebhookRequest {
  target: WebhookTarget;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

/** One HTTP exchange: the status when an answer came, else what went wrong. Never throws. */
export type WebhookResponse =
  { statusCode: number; durationMs: number } | { error: string; durationMs: number };

/**
 * Idle connections are closed before the usual 5 s keep-alive timeout of servers, so a request rarely meets a
 * connection the receiver is closing at that moment (and retries once on a fresh one when it does).
 */
const IDLE_SOCKET_MS = 4_000;
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE']);

/** Connects only to the addresses that were checked, so DNS cannot change between the check and the connection. */
function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0].address, addresses[0].family);
  };
}

/**
 * The webhook HTTP adapter: a POST with a hard deadline (AbortSignal) covering connect, headers and body, and no
 * redirects (a redirect could lead past the address check; a 3xx counts as a failed attempt).
 *
 * Connections are kept alive and reused: a burst of 1,000 releases spent a fifth of the event loop opening a TCP
 * connection per request. A reused connection was opened to an address checked at the time, so reuse never reaches
 * an address the check would refuse now (the name may since resolve elsewhere; the connection does not follow it).
 * A receiver that never answers still costs one socket for at most the timeout: the deadline destroys it.
 */
@Injectable()
export class WebhookHttpClient implements OnModuleDestroy {
  private readonly http = new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS });
  private readonly https = new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS });

  onModuleDestroy(): void {
    this.http.destroy();
    this.https.destroy();
  }

  async send({ target, headers, body, timeoutMs }: WebhookRequest): Promise<WebhookResponse> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const signal = AbortSignal.timeout(timeoutMs);
    const secure = target.url.protocol === 'https:';
    const options: RequestOptions = {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'user-agent': 'coworking-platform-webhooks/1',
      },
      agent: secure ? this.https : this.http,
      lookup: pinnedLookup(target.addresses),
      signal,
    };
    const first = await this.exchange(secure, target.url, options, body);
    // A kept-alive connection the receiver closed just as it was reused: nothing reached the receiver, so the
    // request goes once more, on another connection, within the same deadline.
    const outcome =
      'error' in first && first.reused && RESET_CODES.has(first.code ?? '') && !signal.aborted
        ? await this.exchange(secure, target.url, options, body)
        : first;
    if ('statusCode' in outcome) return { statusCode: outcome.statusCode, durationMs: elapsed() };
    return {
      error: outcome.timedOut ? `timed out after ${timeoutMs} ms` : outcome.error,
      durationMs: elapsed(),
    };
  }

  private exchange(
    secure: boolean,
    url: URL,
    options: RequestOptions,
    body: string,
  ): Promise<{ statusCode: number } | { error: string; code?: string; timedOut: boolean; reused: boolean }> {
    const send = secure ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      let settled = false;
      const req: ClientRequest = send(url, options, (res) => {
        if (settled) return;
        settled = true;
        resolve({ statusCode: res.statusCode ?? 0 });
        // The body is not used; it is drained (never buffered) so the connection can serve the next request. The
        // status is already recorded, so an abort (or a reset) while draining is no longer an error of the attempt.
        res.resume();
        res.on('error', () => undefined);
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (settled) return;
        settled = true;
        resolve({
          error: `${error.code ?? error.name}: ${error.message}`,
          code: error.code,
          timedOut: error.name === 'AbortError' || error.name === 'TimeoutError',
          reused: req.reusedSocket,
        });
      });
      req.end(body);
    });
  }
}
