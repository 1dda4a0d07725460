import { Logger } from '@nestjs/common';
import { z } from 'zod';
import { defineJob, JobPayloadError } from '../job-definition';
import { JobContext } from '../job-queue';
import { InProcessJobQueue } from './in-process.queue';

const ping = defineJob('test.ping', z.object({ n: z.number().int() }).strict());
type Ping = z.infer<typeof ping.schema>;

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('InProcessJobQueue', () => {
  let queue: InProcessJobQueue;
  let runs: { n: number; at: number; context: JobContext }[];
  let errors: jest.SpyInstance;
  const t0 = Date.parse('2026-03-10T12:00:00Z');
  const at = (ms: number) => new Date(t0 + ms);
  const record = async (payload: Ping, context: JobContext) => {
    runs.push({ n: payload.n, at: Date.now() - t0, context });
    return Promise.resolve();
  };

  beforeEach(async () => {
    jest.useFakeTimers({ now: t0 });
    errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    runs = [];
    queue = new InProcessJobQueue();
    await queue.start();
  });

  afterEach(async () => {
    await queue.stop();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('runs a job at its runAt, not before, with its payload and context', async () => {
    queue.process(ping, record);
    await queue.schedule(ping, { n: 1 }, { jobId: 'a', runAt: at(1000) });
    await jest.advanceTimersByTimeAsync(999);
    expect(runs).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(runs).toEqual([{ n: 1, at: 1000, context: { jobId: 'a', attempt: 1 } }]);
    expect(queue.pending).toBe(0);
  });

  it('runs a job without runAt, or with one in the past, at once', async () => {
    queue.process(ping, record);
    await queue.schedule(ping, { n: 1 }, { jobId: 'now' });
    await queue.schedule(ping, { n: 2 }, { jobId: 'past', runAt: at(-5000) });
    await jest.advanceTimersByTimeAsync(0);
    expect(runs.map((r) => r.n)).toEqual([1, 2]);
  });

  it('ignores a pending duplicate job id (first payload and time win); a finished id can run again', async () => {
    queue.process(ping, record);
    await queue.schedule(ping, { n: 1 }, { jobId: 'dup', runAt: at(100) });
    await queue.schedule(ping, { n: 2 }, { jobId: 'dup', runAt: at(50) });
    await jest.advanceTimersByTimeAsync(1000);
    expect(runs.map((r) => [r.n, r.at])).toEqual([[1, 100]]);
    await queue.schedule(ping, { n: 3 }, { jobId: 'dup' });
    await jest.advanceTimersByTimeAsync(0);
    expect(runs.map((r) => r.n)).toEqual([1, 3]);
  });

  it('keys ids per job name', async () => {
    const other = defineJob('test.other', ping.schema);
    const seen: string[] = [];
    queue.process(ping, async () => void seen.push('ping'));
    queue.process(other, async () => void seen.push('other'));
    await queue.schedule(ping, { n: 1 }, { jobId: 'same' });
    await queue.schedule(other, { n: 1 }, { jobId: 'same' });
    await jest.advanceTimersByTimeAsync(0);
    expect(seen.sort()).toEqual(['other', 'ping']);
  });

  it('cancels a pending job, and reports false for unknown, finished or running ones', async () => {
    const gate = deferred();
    queue.process(ping, async (payload, context) => {
      await record(payload, context);
      if (payload.n === 2) await gate.promise;
    });
    await queue.schedule(ping, { n: 1 }, { jobId: 'later', runAt: at(500) });
    await expect(queue.cancel(ping, 'later')).resolves.toBe(true);
    await expect(queue.cancel(ping, 'later')).resolves.toBe(false);
    await expect(queue.cancel(ping, 'never')).resolves.toBe(false);
    await queue.schedule(ping, { n: 2 }, { jobId: 'running' });
    await jest.advanceTimersByTimeAsync(1000);
    await expect(queue.cancel(ping, 'running')).resolves.toBe(false);
    gate.resolve();
    await jest.advanceTimersByTimeAsync(0);
    expect(runs.map((r) => r.n)).toEqual([2]);
    // Cancelled: the id is free for a new schedule.
    await queue.schedule(ping, { n: 3 }, { jobId: 'later' });
    await jest.advanceTimersByTimeAsync(0);
    expect(runs.map((r) => r.n)).toEqual([2, 3]);
  });

  it('cancels a job that is due but waiting for a free worker', async () => {
    const gate = deferred();
    queue.process(ping, async (payload, context) => {
      await record(payload, context);
      await gate.promise;
    });
    await queue.schedule(ping, { n: 1 }, { jobId: 'busy' });
    await queue.schedule(ping, { n: 2 }, { jobId: 'queued' });
    await jest.advanceTimersByTimeAsync(0);
    await expect(queue.cancel(ping, 'queued')).resolves.toBe(true);
    gate.resolve();
    await jest.advanceTimersByTimeAsync(0);
    expect(runs.map((r) => r.n)).toEqual([1]);
  });

  it('retries a throwing handler with exponential backoff, then gives up and logs the failure', async () => {
    queue.process(ping, async (payload, context) => {
      await record(payload, context);
      throw new Error('receiver down');
    });
    await queue.schedule(ping, { n: 1 }, { jobId: 'flaky', attempts: 4, backoffMs: 100 });
    await jest.advanceTimersByTimeAsync(10_000);
    expect(runs.map((r) => [r.context.attempt, r.at])).toEqual([
      [1, 0],
      [2, 100],
      [3, 300],
      [4, 700],
    ]);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(errors.mock.calls[0][0]).toMatch(/test\.ping flaky attempt 4\/4 failed, giving up: receiver down/);
    expect(queue.pending).toBe(0);
  });

  it('stops retrying once an attempt succeeds, and keeps the id pending while it waits to retry', async () => {
    queue.process(ping, async (payload, context) => {
      await record(payload, context);
      if (context.attempt < 2) throw new Error('once');
    });
    await queue.schedule(ping, { n: 1 }, { jobId: 'retry', attempts: 5, backoffMs: 1000 });
    await jest.advanceTimersByTimeAsync(10);
    await queue.schedule(ping, { n: 9 }, { jobId: 'retry' });
    await jest.advanceTimersByTimeAsync(10_000);
    expect(runs.map((r) => [r.n, r.context.attempt, r.at])).toEqual([
      [1, 1, 0],
      [1, 2, 1000],
    ]);
    expect(errors).not.toHaveBeenCalled();
  });

  it('runs at most `concurrency` handlers of a job at once, and all of them in the end', async () => {
    const gates = Array.from({ length: 5 }, deferred);
    let active = 0;
    let peak = 0;
    queue.process(
      ping,
      async ({ n }) => {
        active += 1;
        peak = Math.max(peak, active);
        await gates[n].promise;
        active -= 1;
        runs.push({ n, at: 0, context: { jobId: '', attempt: 1 } });
      },
      { concurrency: 2 },
    );
    for (let n = 0; n < 5; n++) await queue.schedule(ping, { n }, { jobId: `c${n}` });
    await jest.advanceTimersByTimeAsync(0);
    expect(active).toBe(2);
    for (const gate of gates) {
      gate.resolve();
      await jest.advanceTimersByTimeAsync(0);
    }
    expect(peak).toBe(2);
    expect(runs.map((r) => r.n)).toEqual([0, 1, 2, 3, 4]);
  });

  it('stop() waits for a running handler; jobs scheduled while stopped wait for start()', async () => {
    const gate = deferred();
    let finished = false;
    queue.process(ping, async (payload, context) => {
      await record(payload, context);
      if (payload.n === 1) {
        await gate.promise;
        finished = true;
      }
    });
    await queue.schedule(ping, { n: 1 }, { jobId: 'long' });
    await jest.advanceTimersByTimeAsync(0);
    let stopped = false;
    const stopping = queue.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(1000);
    expect(stopped).toBe(false);
    await queue.schedule(ping, { n: 2 }, { jobId: 'while-stopped' });
    gate.resolve();
    await stopping;
    expect(finished).toBe(true);
    await jest.advanceTimersByTimeAsync(1000);
    expect(runs.map((r) => r.n)).toEqual([1]);
    await queue.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(runs.map((r) => r.n)).toEqual([1, 2]);
  });

  it('holds due jobs until a handler is registered', async () => {
    await queue.schedule(ping, { n: 1 }, { jobId: 'early' });
    await jest.advanceTimersByTimeAsync(100);
    queue.process(ping, record);
    await jest.advanceTimersByTimeAsync(0);
    expect(runs.map((r) => r.n)).toEqual([1]);
  });

  it('rejects a bad payload at schedule time with field paths', async () => {
    const bad = { n: 1.5, extra: true } as unknown as Ping;
    const error = await queue.schedule(ping, bad, { jobId: 'bad' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobPayloadError);
    expect((error as JobPayloadError).errors).toEqual([
      { path: 'n', message: 'Expected integer, received float' },
      { path: 'extra', message: 'unknown field' },
    ]);
    expect(queue.pending).toBe(0);
  });

  it('fails a job whose payload the handler schema refuses, without retrying, and carries on', async () => {
    // A producer on an older schema than the worker: the handler's own definition is checked at processing time.
    const older = defineJob('test.ping', z.object({ count: z.number() }));
    queue.process(ping, record);
    await queue.schedule(older, { count: 1 }, { jobId: 'old', attempts: 5 });
    await queue.schedule(ping, { n: 2 }, { jobId: 'new' });
    await jest.advanceTimersByTimeAsync(60_000);
    expect(runs.map((r) => r.n)).toEqual([2]);
    expect(errors).toHaveBeenCalledTimes(1);
    expect(errors.mock.calls[0][0]).toMatch(/attempt 1\/5 failed, giving up: invalid payload .*n: required/);
  });

  it('refuses ids BullMQ could not store, so both adapters accept the same ids', async () => {
    await expect(queue.schedule(ping, { n: 1 }, { jobId: 'a:b' })).rejects.toThrow(/job id/);
    await expect(queue.schedule(ping, { n: 1 }, { jobId: '42' })).rejects.toThrow(/not all digits/);
    await expect(queue.schedule(ping, { n: 1 }, { jobId: 'x', attempts: 0 })).rejects.toThrow(RangeError);
  });

  it('keeps one timer for many delayed jobs and runs them in due order', async () => {
    queue.process(ping, record, { concurrency: 10 });
    const count = 5000;
    // A fixed pseudo-random order, so the heap sees out-of-order inserts.
    const offsets = Array.from({ length: count }, (_, i) => ((i * 7919) % count) + 1);
    for (let i = 0; i < count; i++) {
      await queue.schedule(ping, { n: offsets[i] }, { jobId: `j${i}`, runAt: at(offsets[i] * 10) });
    }
    await queue.cancel(ping, 'j0');
    expect(jest.getTimerCount()).toBe(1);
    await jest.advanceTimersByTimeAsync(count * 10 + 1);
    expect(runs).toHaveLength(count - 1);
    expect(runs.every((r) => r.at === r.n * 10)).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('waits longer than a single setTimeout can (about 24.8 days) without firing early', async () => {
    queue.process(ping, record);
    const day = 86_400_000;
    await queue.schedule(ping, { n: 1 }, { jobId: 'far', runAt: at(30 * day) });
    await jest.advanceTimersByTimeAsync(29 * day);
    expect(runs).toEqual([]);
    await jest.advanceTimersByTimeAsync(day);
    expect(runs.map((r) => r.at)).toEqual([30 * day]);
  });

  it('runs on injected timers', async () => {
    let now = 0;
    const pending: { at: number; fn: () => void }[] = [];
    const manual = new InProcessJobQueue({
      timers: {
        now: () => now,
        setTimeout: (fn, ms) => pending.push({ at: now + ms, fn }),
        clearTimeout: () => undefined,
      },
    });
    const seen: number[] = [];
    manual.process(ping, async ({ n }) => void seen.push(n));
    await manual.start();
    await manual.schedule(ping, { n: 7 }, { jobId: 'm', runAt: new Date(250) });
    expect(pending.map((p) => p.at)).toEqual([250]);
    now = 250;
    pending[0].fn();
    await jest.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([7]);
    await manual.stop();
  });
});
