import { stampEventTime } from './clock-guard';

const limits = { maxFutureSkewMs: 300_000, maxAgeMs: 400 * 86_400_000 };
const now = new Date('2026-03-10T12:00:00Z');

describe('stampEventTime', () => {
  it('keeps device time when it is in the past or slightly ahead', () => {
    const past = stampEventTime('2026-03-10T11:00:00Z', now, limits);
    expect(past).toEqual({
      ok: true,
      ts: new Date('2026-03-10T11:00:00Z'),
      deviceTs: new Date('2026-03-10T11:00:00Z'),
      clockSkewMs: null,
    });
    const ahead = stampEventTime('2026-03-10T12:04:59Z', now, limits);
    expect(ahead.ok && ahead.clockSkewMs).toBeNull();
  });

  it('reads offsets correctly', () => {
    const result = stampEventTime('2026-03-10T13:00:00+01:00', now, limits);
    expect(result.ok && result.ts.toISOString()).toBe('2026-03-10T12:00:00.000Z');
  });

  it('clamps a device clock more than 5 minutes ahead to the receive time and records the skew', () => {
    const result = stampEventTime('2026-03-10T12:10:00Z', now, limits);
    expect(result).toEqual({
      ok: true,
      ts: now,
      deviceTs: new Date('2026-03-10T12:10:00Z'),
      clockSkewMs: 600_000,
    });
  });

  it('refuses implausible futures and events older than the age limit', () => {
    expect(stampEventTime('2028-01-01T00:00:00Z', now, limits)).toEqual({
      ok: false,
      reason: 'timestamp is more than a year in the future',
    });
    expect(stampEventTime('2024-01-01T00:00:00Z', now, limits)).toEqual({
      ok: false,
      reason: 'timestamp is older than 400 days',
    });
  });
});
