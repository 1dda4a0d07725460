import { chunkBySize } from './chunk-by-size';

describe('chunkBySize', () => {
  it('keeps one chunk without a limit', () => {
    expect(chunkBySize([1, 2, 3], undefined, () => 1000)).toEqual([[1, 2, 3]]);
    expect(chunkBySize([], undefined, () => 1)).toEqual([]);
  });

  it('starts a new chunk before the limit would be passed', () => {
    expect(chunkBySize([40, 40, 40, 10, 90], 100, (n) => n)).toEqual([[40, 40], [40, 10], [90]]);
  });

  it('gives an oversized item a chunk of its own rather than dropping it', () => {
    expect(chunkBySize([5, 500, 5], 100, (n) => n)).toEqual([[5], [500], [5]]);
  });
});
