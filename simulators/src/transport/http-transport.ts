import { z } from 'zod';
import { systemTimers, Timers } from '../live-player';
import { errorMessage } from '../scenario/scenario-error';
import { BatchAnswer, Publisher } from './publisher';
import { OutMessage } from './wire';

/** The part of `fetch` used here; tests pass a fake. */
export interface HttpResponseLike {
  status: number;
  text(): Promise<string>;
}
export type HttpPost = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string },
) => Promise<HttpResponseLike>;

export interface HttpPublisherOptions {
  /** The platform's base URL (`http://127.0.0.1:3000`) or the full events URL. */
  url: string;
  key: string;
  post?: HttpPost;
  /** Attempts per batch, the first included. Default 8. */
  maxAttempts?: number;
  /** Wait before the first retry, doubled each time up to `maxBackoffMs`. Defaults 250 and 10 000. */
  backoffMs?: number;
  maxBackoffMs?: number;
  timers?: Timers;
  onRetry?: (attempt: number, reason: string) => void;
}

const answerSchema = z.object({
  accepted: z.number(),
  duplicates: z.number(),
  rejected: z.array(z.object({ index: z.number(), errors: z.unknown() })),
});

/** A refusal that sending again will not change (400, 401, 413...). */
export class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    body: string,
  ) {
    super(`HTTP ${status}: ${body.slice(0, 300)}`);
    this.name = 'HttpRefusal';
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function eventsUrl(url: string): string {
  const trimmed = url.replace(/\/+$/, '');
  return trimmed.endsWith('/v1/events') ? trimmed : `${trimmed}/v1/events`;
}

/**
 * POST /v1/events with retries on what may pass next time: connection errors, 5xx and 429. Every batch carries its
 * events' ids, so a retry after a lost answer is deduplicated by the platform rather than counted twice.
 */
export class HttpPublisher implements Publisher {
  private readonly url: string;
  private readonly post: HttpPost;
  private readonly timers: Timers;
  retries = 0;

  constructor(private readonly options: HttpPublisherOptions) {
    this.url = eventsUrl(options.url);
    this.post = options.post ?? ((url, init) => fetch(url, init));
    this.timers = options.timers ?? systemTimers;
  }

  async send(message: OutMessage): Promise<BatchAnswer> {
    const outcome = await this.attempt(message);
    if ('refused' in outcome) throw outcome.refused;
    // an answer we cannot read is not retried: the batch arrived, and sending it again would only add duplicates
    const parsed = answerSchema.safeParse(parseJson(outcome.ok));
    if (!parsed.success) throw new Error(`unexpected answer from ${this.url}: ${outcome.ok.slice(0, 200)}`);
    return parsed.data;
  }

  private async attempt(message: OutMessage): Promise<{ ok: string } | { refused: HttpRefusal }> {
    const max = this.options.maxAttempts ?? 8;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${this.options.key}` };
    for (let attempt = 1; ; attempt++) {
      let reason: string;
      try {
        const response = await this.post(this.url, { method: 'POST', headers, body: message.body });
        const text = await response.text();
        if (response.status >= 200 && response.status < 300) return { ok: text };
        if (response.status < 500 && response.status !== 429)
          return { refused: new HttpRefusal(response.status, text) };
        reason = `HTTP ${response.status}`;
      } catch (error) {
        reason = errorMessage(error);
      }
      if (attempt >= max) throw new Error(`POST ${this.url} failed after ${attempt} attempts: ${reason}`);
      this.retries++;
      this.options.onRetry?.(attempt, reason);
      const wait = Math.min(
        this.options.maxBackoffMs ?? 10_000,
        (this.options.backoffMs ?? 250) * 2 ** (attempt - 1),
      );
      await new Promise<void>((resolve) => this.timers.setTimeout(resolve, wait));
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
