import { Queryable } from '@cw/database';
import { BookingRelease } from '@cw/events';
import { NoShowRepository } from './noshow.repository';
import { ReleasePublisher, ReleaseSink } from './release.publisher';

const release = (bookingId: string): BookingRelease => ({
  releaseId: `rel_s1_${bookingId}`,
  siteId: 's1',
  bookingId,
  resourceId: 'desk-1',
  memberId: null,
  reason: 'no_show',
  bookingStart: '2026-11-23T09:00:00.000Z',
  bookingEnd: '2026-11-23T10:00:00.000Z',
  decidedAt: '2026-11-23T09:15:00.000Z',
  releasedAt: '2026-11-23T09:15:00.010Z',
});

/** Records what a channel was handed; `hold` keeps its deliveries pending until released. */
class RecordingSink implements ReleaseSink {
  readonly delivered: string[] = [];
  hold: Promise<void> | undefined;

  constructor(readonly name: string) {}

  async deliver(r: BookingRelease): Promise<void> {
    await this.hold;
    if (this.name === 'broken') throw new Error('broker down');
    this.delivered.push(r.bookingId);
  }
}

/** A channel with its own outbox, written in the releases' transaction. */
class StagingSink extends RecordingSink {
  readonly staged: string[] = [];
  readonly finished: string[] = [];

  async stage(_tx: Queryable, releases: BookingRelease[]): Promise<() => Promise<void>> {
    this.staged.push(...releases.map((r) => r.bookingId));
    return async () => void this.finished.push(...releases.map((r) => r.bookingId));
  }
}

describe('ReleasePublisher', () => {
  const tx = {} as Queryable;
  let marked: string[][];
  const repo = {
    markPublishedMany: async (rs: BookingRelease[]) => void marked.push(rs.map((r) => r.bookingId)),
  } as unknown as NoShowRepository;

  beforeEach(() => {
    marked = [];
    jest.useFakeTimers();
  });
  afterEach(() => jest.useRealTimers());

  it('finishes what a sink staged instead of delivering again, and marks the releases once a second, together', async () => {
    const webhooks = new StagingSink('webhooks');
    const mqtt = new RecordingSink('mqtt');
    const publisher = new ReleasePublisher(repo, [webhooks, mqtt]);
    const first = publisher.publishStaged(await publisher.stage(tx, [release('b1'), release('b2')]));
    const second = publisher.publishStaged(await publisher.stage(tx, [release('b3')]));
    await jest.advanceTimersByTimeAsync(999);
    expect(marked).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(await first).toBe(2);
    expect(await second).toBe(1);
    expect(webhooks.staged).toEqual(['b1', 'b2', 'b3']);
    expect(webhooks.finished).toEqual(['b1', 'b2', 'b3']);
    expect(webhooks.delivered).toEqual([]);
    expect(mqtt.delivered).toEqual(['b1', 'b2', 'b3']);
    expect(marked).toEqual([['b1', 'b2', 'b3']]);
  });

  it('leaves a release a channel failed unmarked, for the sweep', async () => {
    const publisher = new ReleasePublisher(repo, [new RecordingSink('broken')]);
    const done = publisher.publishMany([release('b1')]);
    await jest.advanceTimersByTimeAsync(1000);
    expect(await done).toBe(0);
    expect(marked).toEqual([]);
  });

  it('still finishes what was staged for releases another publication holds', async () => {
    const webhooks = new StagingSink('webhooks');
    const mqtt = new RecordingSink('mqtt');
    let open!: () => void;
    mqtt.hold = new Promise<void>((resolve) => (open = resolve));
    const publisher = new ReleasePublisher(repo, [webhooks, mqtt]);
    // The boot's sweep found the release first and is still handing it out.
    const sweep = publisher.publishMany([release('b1')]);
    const staged = await publisher.publishStaged(await publisher.stage(tx, [release('b1')]));
    expect(staged).toBe(0);
    expect(webhooks.finished).toEqual(['b1']);
    open();
    await jest.advanceTimersByTimeAsync(1000);
    expect(await sweep).toBe(1);
  });
});
