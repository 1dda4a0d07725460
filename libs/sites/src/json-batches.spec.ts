import { jsonBatches } from './json-batches';

describe('jsonBatches', () => {
  const rows = Array.from({ length: 500 }, (_, i) => ({
    id: `desk-${i}`,
    polygon: [
      [i, 0],
      [i + 1, 0],
      [i + 1, 1],
    ],
  }));

  it('sends everything at once when the connection has no message limit', () => {
    expect(jsonBatches(rows, undefined)).toEqual([JSON.stringify(rows)]);
    expect(jsonBatches([], undefined)).toEqual([]);
  });

  it('keeps every batch under the limit, in order, losing no row', () => {
    const batches = jsonBatches(rows, 8192);
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) expect(Buffer.byteLength(batch)).toBeLessThanOrEqual(8192 - 4096);
    expect(batches.flatMap((b) => JSON.parse(b) as unknown[])).toEqual(rows);
  });
});
