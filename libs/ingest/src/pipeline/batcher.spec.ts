import { Batcher } from './batcher';

function recordingSink() {
  const batches: number[][] = [];
  let failuresLeft = 0;
  return {
    batches,
    failNext(times: number) {
      failuresLeft = times;
    },
    write: async (items: number[]) => {
      if (failuresLeft > 0) {
        failuresLeft--;
        throw new Error('database unavailable');
      }
      batches.push(items);
      return items.map((i) => i * 10);
    },
  };
}

describe('Batcher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('flushes as soon as a batch is full', async () => {
    const sink = recordingSink();
    const batcher = new Batcher<number, number>({
      maxBatch: 3,
      flushMs: 1000,
      maxPending: 100,
      write: sink.write,
    });
    const results = batcher.add([1, 2, 3]);
    await jest.advanceTimersByTimeAsync(0);
    expect(sink.batches).toEqual([[1, 2, 3]]);
    await expect(results).resolves.toEqual([10, 20, 30]);
  });

  it('flushes a partial batch when its age limit passes, not before', async () => {
    const sink = recordingSink();
    const batcher = new Batcher<number, number>({
      maxBatch: 10,
      flushMs: 50,
      maxPending: 100,
      write: sink.write,
    });
    const first = batcher.add([1]);
    await jest.advanceTimersByTimeAsync(20);
    const second = batcher.add([2]);
    await jest.advanceTimersByTimeAsync(20);
    expect(sink.batches).toEqual([]);
    await jest.advanceTimersByTimeAsync(10);
    expect(sink.batches).toEqual([[1, 2]]);
    await expect(Promise.all([first, second])).resolves.toEqual([[10], [20]]);
  });

  it('counts the age limit of items that arrived during a write from their arrival, not from the end of the write', async () => {
    const batches: number[][] = [];
    const batcher = new Batcher<number, number>({
      maxBatch: 10,
      flushMs: 50,
      maxPending: 100,
      write: async (items) => {
        batches.push(items);
        await new Promise((resolve) => setTimeout(resolve, 30));
        return items;
      },
    });
    const first = batcher.add([1]);
    await jest.advanceTimersByTimeAsync(60); // [1] written at 50, its write runs until 80
    expect(batches).toEqual([[1]]);
    const second = batcher.add([2]); // arrives at 60, during the write
    await jest.advanceTimersByTimeAsync(49); // 109: 49 ms old
    expect(batches).toEqual([[1]]);
    await jest.advanceTimersByTimeAsync(1); // 110: 50 ms old, 30 ms after the write ended
    expect(batches).toEqual([[1], [2]]);
    await jest.advanceTimersByTimeAsync(30);
    await expect(Promise.all([first, second])).resolves.toEqual([[1], [2]]);
  });

  it('splits a large add into full batches in order', async () => {
    const sink = recordingSink();
    const batcher = new Batcher<number, number>({
      maxBatch: 2,
      flushMs: 50,
      maxPending: 100,
      write: sink.write,
    });
    const results = batcher.add([1, 2, 3, 4, 5]);
    await jest.advanceTimersByTimeAsync(100);
    expect(sink.batches).toEqual([[1, 2], [3, 4], [5]]);
    await expect(results).resolves.toEqual([10, 20, 30, 40, 50]);
  });

  it('keeps a failed batch and retries it until the write succeeds, resolving nothing before', async () => {
    const sink = recordingSink();
    const errors: number[] = [];
    const batcher = new Batcher<number, number>({
      maxBatch: 2,
      flushMs: 10,
      maxPending: 100,
      write: sink.write,
      retryDelayMs: () => 100,
      onWriteError: (_error, attempt) => errors.push(attempt),
    });
    sink.failNext(3);
    let settled = false;
    const results = batcher.add([1, 2]).then((r) => {
      settled = true;
      return r;
    });
    await jest.advanceTimersByTimeAsync(250);
    expect(settled).toBe(false);
    expect(sink.batches).toEqual([]);
    await jest.advanceTimersByTimeAsync(100);
    await expect(results).resolves.toEqual([10, 20]);
    expect(errors).toEqual([0, 1, 2]);
    expect(sink.batches).toEqual([[1, 2]]);
  });

  it('makes producers wait while the pending limit is reached (memory stays bounded)', async () => {
    const sink = recordingSink();
    const batcher = new Batcher<number, number>({
      maxBatch: 2,
      flushMs: 10,
      maxPending: 4,
      write: sink.write,
      retryDelayMs: () => 1000,
    });
    sink.failNext(1);
    const first = batcher.add([1, 2, 3, 4]);
    let secondAccepted = false;
    const second = batcher.add([5]).then((r) => {
      secondAccepted = true;
      return r;
    });
    await jest.advanceTimersByTimeAsync(500);
    expect(batcher.pending).toBe(4);
    expect(secondAccepted).toBe(false);
    await jest.advanceTimersByTimeAsync(1000);
    await expect(first).resolves.toEqual([10, 20, 30, 40]);
    await expect(second).resolves.toEqual([50]);
    expect(sink.batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('drain writes everything queued', async () => {
    const sink = recordingSink();
    const batcher = new Batcher<number, number>({
      maxBatch: 100,
      flushMs: 60_000,
      maxPending: 1000,
      write: sink.write,
    });
    void batcher.add([7, 8]);
    const drained = batcher.drain();
    await jest.advanceTimersByTimeAsync(10);
    await drained;
    expect(sink.batches).toEqual([[7, 8]]);
  });
});
