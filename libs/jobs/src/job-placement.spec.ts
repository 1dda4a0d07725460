import { z } from 'zod';
import { BullMqJobQueue } from './bullmq/bullmq.queue';
import { defineJob } from './job-definition';
import { jobsRunningHere } from './job-placement';

describe('jobsRunningHere', () => {
  it('runs every job with all, only the kept ones with none', () => {
    expect(['a', 'b'].map(jobsRunningHere('all', []))).toEqual([true, true]);
    expect(['a', 'b'].map(jobsRunningHere('none', ['b']))).toEqual([false, true]);
    expect(['a'].map(jobsRunningHere('none', []))).toEqual([false]);
  });
});

describe('BullMqJobQueue placement', () => {
  const kept = defineJob('kept.job', z.object({}));
  const left = defineJob('left.job', z.object({}));
  const noop = () => Promise.resolve();

  it('records the handlers it leaves to other processes, and still refuses a second handler for them', () => {
    // Never started: nothing connects to Redis.
    const queue = new BullMqJobQueue({
      url: 'redis://127.0.0.1:1',
      prefix: 'unit',
      runsHere: jobsRunningHere('none', [kept.name]),
    });
    queue.process(kept, noop);
    queue.process(left, noop);
    expect(queue.registeredJobs()).toEqual([
      { name: 'kept.job', runsHere: true },
      { name: 'left.job', runsHere: false },
    ]);
    expect(() => queue.process(left, noop)).toThrow(/already has a handler/);
  });
});
