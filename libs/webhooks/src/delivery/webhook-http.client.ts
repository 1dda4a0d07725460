import { Injectable } from '@nestjs/common';
import { LookupAddress } from 'node:dns';
import { request as httpRequest, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
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

/** Connects only to the addresses that were checked, so DNS cannot change between the check and the connection. */
function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0].address, addresses[0].family);
  };
}

/**
 * The webhook HTTP adapter: a POST with a hard deadline (AbortSignal) covering connect, headers and body, no redirects
 * (a redirect could lead past the address check; a 3xx counts as a failed attempt) and no connection reuse, so a
 * receiver that never answers costs one socket for at most the timeout.
 */
@Injectable()
export class WebhookHttpClient {
  send({ target, headers, body, timeoutMs }: WebhookRequest): Promise<WebhookResponse> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const options: RequestOptions = {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'user-agent': 'coworking-platform-webhooks/1',
      },
      agent: false,
      lookup: pinnedLookup(target.addresses),
      signal: AbortSignal.timeout(timeoutMs),
    };
    const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      let settled = false;
      const settle = (response: WebhookResponse) => {
        if (settled) return;
        settled = true;
        resolve(response);
      };
      const req = send(target.url, options, (res) => {
        settle({ statusCode: res.statusCode ?? 0, durationMs: elapsed() });
        // The body is not used; it is drained (never buffered) until it ends or the deadline destroys the socket.
        // The status is already recorded, so that abort (or a reset) is no longer an error of the attempt.
        res.resume();
        res.on('error', () => undefined);
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        const timedOut = error.name === 'AbortError' || error.name === 'TimeoutError';
        settle({
          error: timedOut
            ? `timed out after ${timeoutMs} ms`
            : `${error.code ?? error.name}: ${error.message}`,
          durationMs: elapsed(),
        });
      });
      req.end(body);
    });
  }
}
