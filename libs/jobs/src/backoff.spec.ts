import { exponentialBackoffMs } from './backoff';

describe('exponentialBackoffMs', () => {
  it('doubles from the base after each failed attempt, as BullMQ does', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => exponentialBackoffMs(attempt, 1000))).toEqual([
      1000, 2000, 4000, 8000, 16000,
    ]);
    expect(exponentialBackoffMs(0, 500)).toBe(500);
  });
});
