import { Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { BullMqJobQueue, defineJob, JobContext, JobDefinition, JobPayloadError } from '@cw/jobs';
import { waitFor } from '../support/mqtt-client';
import { resolveService, ResolvedService } from '../support/service-discovery';

/**
 * The BullMQ adapter against a real Redis. Each run uses its own key prefix, so parallel test files (and runs) on the
 * shared server never see each other's jobs; the keys are deleted afterwards.
 */
describe('BullMQ job queue (real Redis)', () => {
  let redis: ResolvedService;
  const prefix = `cwt-jobs-${process.pid}-${Date.now().toString(36)}`;
  const opened: BullMqJobQueue[] = [];
  let names = 0;
  const job = (): JobDefinition<{ n: number }> =>
    defineJob(`test.job${(names += 1)}`, z.object({ n: z.number().int() }).strict());
  const open = () => {
    const queue = new BullMqJobQueue({ url: redis.url, prefix });
    opened.push(queue);
    return queue;
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  type Run = { n: number; at: number; context: JobContext };
  const recorder = (runs: Run[]) => async (payload: { n: number }, context: JobContext) => {
    runs.push({ n: payload.n, at: Date.now(), context });
  };

  beforeAll(async () => {
    redis = await resolveService('redis');
  });

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((queue) => queue.stop()));
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    if (!redis) return;
    const client = new Redis(redis.url);
    const keys = await client.keys(`${prefix}:*`);
    if (keys.length > 0) await client.del(...keys);
    await client.quit();
    await redis.stop();
  });

  it('runs a delayed job exactly once, not before its runAt', async () => {
    const def = job();
    const queue = open();
    const runs: Run[] = [];
    queue.process(def, recorder(runs));
    await queue.start();
    const runAt = new Date(Date.now() + 700);
    await queue.schedule(def, { n: 1 }, { jobId: 'late-1', runAt });
    await waitFor(
      async () => runs.length,
      (n) => n > 0,
    );
    await sleep(500);
    expect(runs).toHaveLength(1);
    expect(runs[0].n).toBe(1);
    expect(runs[0].context).toEqual({ jobId: 'late-1', attempt: 1 });
    // Redis and this process share the clock here; BullMQ promotes delayed jobs at millisecond resolution.
    expect(runs[0].at).toBeGreaterThanOrEqual(runAt.getTime() - 5);
  });

  it('ignores a duplicate job id while the first is pending', async () => {
    const def = job();
    const queue = open();
    const runs: Run[] = [];
    queue.process(def, recorder(runs));
    await queue.start();
    const runAt = new Date(Date.now() + 300);
    await queue.schedule(def, { n: 1 }, { jobId: 'dup', runAt });
    await queue.schedule(def, { n: 2 }, { jobId: 'dup' });
    await waitFor(
      async () => runs.length,
      (n) => n > 0,
    );
    await sleep(500);
    expect(runs.map((r) => r.n)).toEqual([1]);
    // Finished, the id is free again (kept in Redis for inspection only).
    await queue.schedule(def, { n: 3 }, { jobId: 'dup' });
    await waitFor(
      async () => runs.length,
      (n) => n > 1,
    );
    expect(runs.map((r) => r.n)).toEqual([1, 3]);
  });

  it('cancels a pending job so it never runs', async () => {
    const def = job();
    const queue = open();
    const runs: Run[] = [];
    queue.process(def, recorder(runs));
    await queue.start();
    await queue.schedule(def, { n: 1 }, { jobId: 'cancel-me', runAt: new Date(Date.now() + 300) });
    await expect(queue.cancel(def, 'cancel-me')).resolves.toBe(true);
    await expect(queue.cancel(def, 'cancel-me')).resolves.toBe(false);
    await sleep(800);
    expect(runs).toEqual([]);
  });

  it('runs a job exactly once when its worker closes mid-delay and another instance takes over', async () => {
    const def = job();
    const first = open();
    const firstRuns: Run[] = [];
    first.process(def, recorder(firstRuns));
    await first.start();
    await first.schedule(def, { n: 1 }, { jobId: 'survivor', runAt: new Date(Date.now() + 1000) });
    await first.stop();

    const second = open();
    const secondRuns: Run[] = [];
    second.process(def, recorder(secondRuns));
    await second.start();
    await waitFor(
      async () => secondRuns.length,
      (n) => n > 0,
    );
    await sleep(500);
    expect(firstRuns).toEqual([]);
    expect(secondRuns.map((r) => r.n)).toEqual([1]);
  });

  it('retries a failing handler with backoff until it succeeds', async () => {
    const def = job();
    const queue = open();
    const runs: Run[] = [];
    queue.process(def, async (payload, context) => {
      runs.push({ n: payload.n, at: Date.now(), context });
      if (context.attempt < 3) throw new Error(`failure ${context.attempt}`);
    });
    await queue.start();
    await queue.schedule(def, { n: 1 }, { jobId: 'flaky', attempts: 5, backoffMs: 200 });
    await waitFor(
      async () => runs.length,
      (n) => n >= 3,
    );
    await sleep(600);
    expect(runs.map((r) => r.context.attempt)).toEqual([1, 2, 3]);
    expect(runs[1].at - runs[0].at).toBeGreaterThanOrEqual(190);
    expect(runs[2].at - runs[1].at).toBeGreaterThanOrEqual(390);
  });

  it('gives up after the last attempt and logs the failure', async () => {
    const def = job();
    const queue = open();
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    let calls = 0;
    queue.process(def, async () => {
      calls += 1;
      throw new Error('always');
    });
    await queue.start();
    await queue.schedule(def, { n: 1 }, { jobId: 'doomed', attempts: 2, backoffMs: 50 });
    await waitFor(
      async () => errors.mock.calls.length,
      (n) => n > 0,
    );
    await sleep(300);
    expect(calls).toBe(2);
    expect(errors.mock.calls.map((c) => String(c[0]))).toEqual([
      expect.stringMatching(/doomed attempt 2\/2 failed, giving up: always/),
    ]);
  });

  it('fails a job with a payload the schema refuses without retrying, and keeps working', async () => {
    const def = job();
    const queue = open();
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const runs: Run[] = [];
    queue.process(def, recorder(runs));
    await queue.start();
    // Written by something that skipped validation (an older producer): the worker checks again.
    const raw = new Queue(def.name, { connection: { url: redis.url }, prefix });
    await raw.add(def.name, { n: 'one' }, { jobId: 'raw-bad', attempts: 3 });
    await raw.close();
    await queue.schedule(def, { n: 2 }, { jobId: 'good' });
    await waitFor(
      async () => runs.length + errors.mock.calls.length,
      (n) => n >= 2,
    );
    expect(runs.map((r) => r.n)).toEqual([2]);
    expect(String(errors.mock.calls[0][0])).toMatch(
      /raw-bad attempt 1\/3 failed, giving up: invalid payload .* n: /,
    );
    await expect(queue.schedule(def, { n: 'x' } as never, { jobId: 'bad' })).rejects.toBeInstanceOf(
      JobPayloadError,
    );
  });
});
