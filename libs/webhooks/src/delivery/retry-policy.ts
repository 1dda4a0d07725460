import { WebhookResponse } from './webhook-http.client';

export const RETRY_FACTOR = 5;
export const MAX_RETRY_DELAY_MS = 6 * 3600_000;

/**
 * Wait after failed attempt `failedAttempt` (1-based): base, then 5 times longer each time, at most 6 hours. With the
 * 5 s default: 5 s, 25 s, ~2 min, ~10 min, ~52 min, ~4.3 h, 6 h, so 8 attempts span about 11.5 hours of outage.
 */
export function retryDelayMs(failedAttempt: number, baseMs: number): number {
  return Math.min(baseMs * RETRY_FACTOR ** (Math.max(1, failedAttempt) - 1), MAX_RETRY_DELAY_MS);
}

/** An HTTP exchange, or an address the guard refused (no request was made). */
export type AttemptResult = WebhookResponse | { refused: string; durationMs: number };

export type DeliveryOutcome =
  | { status: 'delivered' }
  | { status: 'disabled'; reason: string }
  | { status: 'pending'; retryInMs: number }
  | { status: 'failed' };

/** 2xx delivered; 410 Gone unsubscribes (Standard Webhooks); a refused URL fails at once; anything else retries. */
export function decideOutcome(
  result: AttemptResult,
  attempt: number,
  maxAttempts: number,
  retryBaseMs: number,
): DeliveryOutcome {
  if ('statusCode' in result) {
    if (result.statusCode >= 200 && result.statusCode < 300) return { status: 'delivered' };
    if (result.statusCode === 410) return { status: 'disabled', reason: 'the endpoint answered 410 Gone' };
  }
  if ('refused' in result) return { status: 'failed' };
  if (attempt >= maxAttempts) return { status: 'failed' };
  return { status: 'pending', retryInMs: retryDelayMs(attempt, retryBaseMs) };
}

export function describeResult(result: AttemptResult): { statusCode: number | null; error: string | null } {
  if ('statusCode' in result) {
    const ok = result.statusCode >= 200 && result.statusCode < 300;
    return { statusCode: result.statusCode, error: ok ? null : `HTTP ${result.statusCode}` };
  }
  return { statusCode: null, error: 'refused' in result ? `refused: ${result.refused}` : result.error };
}
