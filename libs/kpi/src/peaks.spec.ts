import { kindPeak, PEAK_PACK_SCALE, resourcePeak, unpackPeak } from './peaks';

const at = new Date('2026-03-02T10:30:00Z');
const facts = { row: undefined, counter: false, sensed: true, capacity: 1 };

describe('resourcePeak', () => {
  it('gives the counted peak and the bucket it was first reached in', () => {
    expect(resourcePeak({ ...facts, capacity: 8, row: { people: 4, at } }, null)).toEqual({
      value: 4,
      at: '2026-03-02T10:30:00.000Z',
    });
  });

  it('counts a quiet people counter and a never-occupied single seat as 0, with no instant', () => {
    expect(resourcePeak({ ...facts, capacity: 8, counter: true }, null)).toEqual({ value: 0 });
    expect(resourcePeak({ ...facts, capacity: 8, row: { people: 0, at } }, null)).toEqual({ value: 0 });
    expect(resourcePeak(facts, null)).toEqual({ value: 0 });
    expect(resourcePeak({ ...facts, capacity: 0 }, null)).toEqual({ value: 0 });
  });

  it('refuses to count several seats from presence alone, and a resource with no evidence', () => {
    expect(resourcePeak({ ...facts, capacity: 2 }, null)).toEqual({
      value: null,
      reason: 'presence_cannot_count',
    });
    expect(resourcePeak({ ...facts, sensed: false }, null)).toEqual({
      value: null,
      reason: 'no_presence_sensor',
    });
  });

  it('answers a period without open time with its reason, whatever was counted', () => {
    expect(resourcePeak({ ...facts, row: { people: 1, at } }, 'closed')).toEqual({
      value: null,
      reason: 'closed',
    });
  });
});

describe('kindPeak', () => {
  it('gives the summed peak when any member can count, 0 when none of them held anyone', () => {
    const members = [{ value: null, reason: 'presence_cannot_count' as const }, { value: 0 }];
    expect(kindPeak({ people: 5, at }, members, null)).toEqual({ value: 5, at: '2026-03-02T10:30:00.000Z' });
    expect(kindPeak(undefined, members, null)).toEqual({ value: 0 });
  });

  it('is null when no member can count, with why', () => {
    const noSensor = { value: null, reason: 'no_presence_sensor' as const };
    const multiSeat = { value: null, reason: 'presence_cannot_count' as const };
    expect(kindPeak(undefined, [noSensor, multiSeat], null)).toEqual({
      value: null,
      reason: 'presence_cannot_count',
    });
    expect(kindPeak(undefined, [noSensor], null)).toEqual({ value: null, reason: 'no_presence_sensor' });
    expect(kindPeak({ people: 2, at }, [{ value: 2 }], 'no_opening_hours')).toEqual({
      value: null,
      reason: 'no_opening_hours',
    });
  });
});

describe('unpackPeak', () => {
  const pack = (people: number, iso: string) =>
    String(BigInt(people) * BigInt(PEAK_PACK_SCALE) - BigInt(Date.parse(iso) / 1000));

  it('recovers the people and the bucket, zero people included', () => {
    for (const people of [0, 1, 5, 4000])
      expect(unpackPeak(pack(people, '2026-03-02T10:30:00Z'))).toEqual({ people, at });
  });

  it('orders packed values by people first, then the earlier bucket', () => {
    const packed = [
      pack(3, '2026-03-01T08:00:00Z'),
      pack(4, '2026-03-20T08:00:00Z'),
      pack(4, '2026-03-02T10:30:00Z'),
      pack(0, '2026-01-01T00:00:00Z'),
    ].map((p) => BigInt(p));
    const top = packed.reduce((a, b) => (b > a ? b : a));
    expect(unpackPeak(String(top))).toEqual({ people: 4, at });
  });
});
