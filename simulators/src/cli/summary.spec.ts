import { formatProgressLine } from './summary';

describe('formatProgressLine', () => {
  it('fits the run on one line: days, events, acks, failures, rate, time', () => {
    const line = formatProgressLine('backfill', {
      events: 12_345,
      acked: 10_000,
      failed: 0,
      daysDone: 3,
      days: 7,
      elapsedMs: 2000,
    });
    expect(line).toBe('[backfill] day 3/7  12,345 events  acked 10,000  failed 0  5,000 ev/s  2 s');
    expect(
      formatProgressLine('load', {
        events: 1,
        acked: 0,
        failed: 0,
        daysDone: 0,
        days: Infinity,
        elapsedMs: 0,
      }),
    ).toMatch(/^\[load\] day 0 {2}1 events/);
    expect(line).not.toContain('\n');
  });
});
