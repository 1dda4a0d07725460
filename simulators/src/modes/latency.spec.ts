import { LatencyRecorder } from './latency';

describe('LatencyRecorder', () => {
  it('gives percentiles within 2 %, and the exact maximum', () => {
    const recorder = new LatencyRecorder();
    for (let i = 1; i <= 1000; i++) recorder.record(i / 10);
    expect(recorder.count).toBe(1000);
    expect(recorder.percentile(50)).toBeGreaterThanOrEqual(50);
    expect(recorder.percentile(50)).toBeLessThanOrEqual(51);
    expect(recorder.percentile(99)).toBeGreaterThanOrEqual(99);
    expect(recorder.percentile(99)).toBeLessThanOrEqual(100);
    expect(recorder.percentile(100)).toBe(100);
    expect(recorder.max).toBe(100);
    expect(recorder.mean).toBeCloseTo(50.05, 5);
  });

  it('answers 0 without samples', () => {
    expect(new LatencyRecorder().percentile(99)).toBe(0);
  });
});
