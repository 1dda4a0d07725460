import { GroupedBatcher } from './grouped-batcher';

describe('GroupedBatcher', () => {
  afterEach(() => jest.useRealTimers());

  it('runs the jobs of one turn as one batch per group, in order, at most maxBatch each', async () => {
    const runs: [string, number[]][] = [];
    const batcher = new GroupedBatcher<number, number>(
      async (group, jobs) => {
        runs.push([group, jobs]);
        return jobs.map((j) => j * 10);
      },
      { maxBatch: 2, concurrency: 4 },
    );
    const results = await Promise.all([
      batcher.submit('a', 1),
      batcher.submit('b', 2),
      batcher.submit('a', 3),
      batcher.submit('a', 4),
    ]);
    expect(results).toEqual([10, 20, 30, 40]);
    expect(runs).toEqual([
      ['a', [1, 3]],
      ['b', [2]],
      ['a', [4]],
    ]);
  });

  it('with gatherMs, jobs submitted within the window join the first one', async () => {
    jest.useFakeTimers();
    const runs: number[][] = [];
    const batcher = new GroupedBatcher<number, number>(
      async (_group, jobs) => {
        runs.push(jobs);
        return jobs;
      },
      { maxBatch: 500, concurrency: 2, gatherMs: 15 },
    );
    const first = batcher.submit('site', 1);
    jest.advanceTimersByTime(5);
    const second = batcher.submit('site', 2);
    jest.advanceTimersByTime(9);
    expect(runs).toEqual([]);
    jest.advanceTimersByTime(1);
    await Promise.all([first, second]);
    expect(runs).toEqual([[1, 2]]);
  });

  it('keeps at most `concurrency` runs going and rejects the jobs of a failed run', async () => {
    let running = 0;
    let most = 0;
    const batcher = new GroupedBatcher<number, number>(
      async (_group, jobs) => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        if (jobs.includes(13)) throw new Error('unlucky');
        return jobs;
      },
      { maxBatch: 1, concurrency: 2 },
    );
    const outcomes = await Promise.allSettled([1, 2, 13, 4, 5].map((n) => batcher.submit('s', n)));
    expect(most).toBe(2);
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
  });
});
