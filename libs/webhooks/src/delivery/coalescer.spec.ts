import { Coalescer } from './coalescer';

describe('Coalescer', () => {
  it('answers the calls of one turn with one batched call, each with its own result', async () => {
    const calls: number[][] = [];
    const c = new Coalescer<number, string>((keys) => {
      calls.push(keys);
      return Promise.resolve(keys.map((k) => `v${k}`));
    });
    const results = await Promise.all([c.call(1), c.call(2), c.call(3)]);
    expect(results).toEqual(['v1', 'v2', 'v3']);
    expect(calls).toEqual([[1, 2, 3]]);
    expect(await c.call(4)).toBe('v4');
    expect(calls).toEqual([[1, 2, 3], [4]]);
  });

  it('splits a large turn into batches and rejects every caller of a failed batch', async () => {
    const sizes: number[] = [];
    const c = new Coalescer<number, number>((keys) => {
      sizes.push(keys.length);
      return keys.includes(5) ? Promise.reject(new Error('boom')) : Promise.resolve(keys);
    }, 4);
    const results = await Promise.allSettled([1, 2, 3, 4, 5, 6].map((k) => c.call(k)));
    expect(sizes).toEqual([4, 2]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
    ]);
  });
});
