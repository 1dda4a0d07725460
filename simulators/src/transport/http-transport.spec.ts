import { Timers } from '../live-player';
import { eventsUrl, HttpPost, HttpPublisher, HttpRefusal } from './http-transport';

const message = { topic: null, body: '[{"type":"sensor"}]', events: 1 };
const answer = { accepted: 1, duplicates: 0, rejected: [] };
const reply = (status: number, body: unknown = answer) => ({
  status,
  text: () => Promise.resolve(JSON.stringify(body)),
});

/** Timers whose waits pass at once and are recorded. */
function instantTimers(waits: number[]): Timers {
  return {
    now: () => 0,
    setTimeout: (callback, ms) => {
      waits.push(ms);
      queueMicrotask(callback);
      return 0;
    },
    clearTimeout: () => undefined,
  };
}

function publisher(
  responses: Array<() => Promise<{ status: number; text(): Promise<string> }>>,
  waits: number[] = [],
) {
  const calls: Array<{ url: string; headers: Record<string, string>; body: string }> = [];
  const post: HttpPost = (url, init) => {
    calls.push({ url, headers: init.headers, body: init.body });
    const next = responses.shift();
    return next ? next() : Promise.reject(new Error('no more responses'));
  };
  const http = new HttpPublisher({
    url: 'http://127.0.0.1:3000/',
    key: 'k-1',
    post,
    timers: instantTimers(waits),
    maxAttempts: 4,
  });
  return { http, calls };
}

describe('HttpPublisher', () => {
  it('posts the batch to /v1/events with the key and returns the answer', async () => {
    const { http, calls } = publisher([() => Promise.resolve(reply(202))]);
    await expect(http.send(message)).resolves.toEqual(answer);
    expect(calls).toEqual([
      {
        url: 'http://127.0.0.1:3000/v1/events',
        headers: { 'content-type': 'application/json', authorization: 'Bearer k-1' },
        body: message.body,
      },
    ]);
  });

  it('retries 5xx, 429 and connection errors with a doubling backoff', async () => {
    const waits: number[] = [];
    const { http, calls } = publisher(
      [
        () => Promise.resolve(reply(503, { message: 'busy' })),
        () => Promise.reject(new Error('connect ECONNREFUSED')),
        () => Promise.resolve(reply(429, {})),
        () => Promise.resolve(reply(202)),
      ],
      waits,
    );
    await expect(http.send(message)).resolves.toEqual(answer);
    expect(calls).toHaveLength(4);
    expect(waits).toEqual([250, 500, 1000]);
    expect(http.retries).toBe(3);
  });

  it('gives up after the last attempt, naming the reason', async () => {
    const { http } = publisher(Array.from({ length: 4 }, () => () => Promise.resolve(reply(502, {}))));
    await expect(http.send(message)).rejects.toThrow('failed after 4 attempts: HTTP 502');
  });

  it('does not retry a refusal or an answer it cannot read', async () => {
    const refused = publisher([() => Promise.resolve(reply(400, { message: 'bad' }))]);
    await expect(refused.http.send(message)).rejects.toThrow(HttpRefusal);
    expect(refused.calls).toHaveLength(1);
    const odd = publisher([() => Promise.resolve({ status: 202, text: () => Promise.resolve('ok') })]);
    await expect(odd.http.send(message)).rejects.toThrow('unexpected answer');
    expect(odd.calls).toHaveLength(1);
  });

  it('takes a base URL or the events URL', () => {
    expect(eventsUrl('http://h:3000')).toBe('http://h:3000/v1/events');
    expect(eventsUrl('http://h:3000/v1/events/')).toBe('http://h:3000/v1/events');
  });
});
