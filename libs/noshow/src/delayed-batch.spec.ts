import { DelayedBatch } from './delayed-batch';

describe('DelayedBatch', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('writes everything added within the delay in one call, counted from the first add', async () => {
    const writes: number[][] = [];
    const batch = new DelayedBatch<number>(async (items) => void writes.push(items), 1000);
    const settled: number[] = [];
    const first = batch.add([1, 2]).then(() => settled.push(1));
    jest.advanceTimersByTime(600);
    const second = batch.add([3]).then(() => settled.push(2));
    jest.advanceTimersByTime(399);
    await Promise.resolve();
    expect(writes).toEqual([]);
    jest.advanceTimersByTime(1);
    await Promise.all([first, second]);
    expect(writes).toEqual([[1, 2, 3]]);
    expect(settled).toEqual([1, 2]);
    // The next add starts a new interval.
    const third = batch.add([4]);
    jest.advanceTimersByTime(1000);
    await third;
    expect(writes).toEqual([[1, 2, 3], [4]]);
  });

  it('rejects every waiter of a failed write and carries on with the next', async () => {
    let fail = true;
    const batch = new DelayedBatch<string>(async () => {
      if (fail) throw new Error('database down');
    }, 100);
    const a = batch.add(['a']);
    const b = batch.add(['b']);
    jest.advanceTimersByTime(100);
    await expect(a).rejects.toThrow('database down');
    await expect(b).rejects.toThrow('database down');
    fail = false;
    const c = batch.add(['c']);
    jest.advanceTimersByTime(100);
    await expect(c).resolves.toBeUndefined();
  });

  it('writes at once on flush, and not again when the timer would have fired', async () => {
    const writes: string[][] = [];
    const batch = new DelayedBatch<string>(async (items) => void writes.push(items), 1000);
    const a = batch.add(['a']);
    await batch.flush();
    await a;
    jest.advanceTimersByTime(2000);
    expect(writes).toEqual([['a']]);
    expect(await batch.add([])).toBeUndefined();
    await batch.flush();
    expect(writes).toEqual([['a']]);
  });
});
