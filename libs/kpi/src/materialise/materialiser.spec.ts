import { consecutiveRuns } from './materialiser';

describe('consecutiveRuns', () => {
  it('groups dates into runs of consecutive days, capped in length, duplicates dropped', () => {
    expect(
      consecutiveRuns(
        ['2026-03-03', '2026-03-01', '2026-03-02', '2026-03-02', '2026-03-05', '2026-03-06'],
        2,
      ),
    ).toEqual([['2026-03-01', '2026-03-02'], ['2026-03-03'], ['2026-03-05', '2026-03-06']]);
  });
});
