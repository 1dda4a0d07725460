import { decideOutcome, describeResult, retryDelayMs } from './retry-policy';

describe('webhook retry policy', () => {
  it('waits 5 times longer after each failure, up to 6 hours', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelayMs(n, 5000) / 1000)).toEqual([
      5, 25, 125, 625, 3125, 15625, 21600, 21600,
    ]);
    expect(retryDelayMs(3, 10)).toBe(250);
  });

  it('delivers on 2xx, disables on 410, fails a refused URL at once, retries anything else', () => {
    const at = (statusCode: number) => ({ statusCode, durationMs: 5 });
    expect(decideOutcome(at(200), 1, 8, 5000)).toEqual({ status: 'delivered' });
    expect(decideOutcome(at(204), 8, 8, 5000)).toEqual({ status: 'delivered' });
    expect(decideOutcome(at(410), 1, 8, 5000)).toEqual({
      status: 'disabled',
      reason: 'the endpoint answered 410 Gone',
    });
    expect(decideOutcome({ refused: 'loopback', durationMs: 0 }, 1, 8, 5000)).toEqual({ status: 'failed' });
    expect(decideOutcome(at(500), 1, 8, 5000)).toEqual({ status: 'pending', retryInMs: 5000 });
    expect(decideOutcome(at(301), 2, 8, 5000)).toEqual({ status: 'pending', retryInMs: 25_000 });
    expect(decideOutcome({ error: 'timed out after 5000 ms', durationMs: 5000 }, 3, 8, 5000)).toEqual({
      status: 'pending',
      retryInMs: 125_000,
    });
    expect(decideOutcome(at(503), 8, 8, 5000)).toEqual({ status: 'failed' });
  });

  it('describes each result for the attempt log', () => {
    expect(describeResult({ statusCode: 200, durationMs: 1 })).toEqual({ statusCode: 200, error: null });
    expect(describeResult({ statusCode: 500, durationMs: 1 })).toEqual({
      statusCode: 500,
      error: 'HTTP 500',
    });
    expect(describeResult({ error: 'ECONNREFUSED: connect', durationMs: 1 })).toEqual({
      statusCode: null,
      error: 'ECONNREFUSED: connect',
    });
    expect(describeResult({ refused: 'private address', durationMs: 0 })).toEqual({
      statusCode: null,
      error: 'refused: private address',
    });
  });
});
