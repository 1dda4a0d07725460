import { ControllableClock, SystemClock } from './clock';

describe('clocks', () => {
  afterEach(() => jest.useRealTimers());

  it('the system clock reads the wall and waits real time', () => {
    const clock = new SystemClock();
    const wall = new Date('2026-03-10T10:00:00Z');
    expect(clock.at(wall)).toBe(wall);
    expect(clock.delayUntil(new Date(Date.now() - 1000))).toBe(0);
  });

  it('a controllable clock runs from the time it was set at its speed, and announces changes', () => {
    jest.useFakeTimers({ now: new Date('2026-11-21T12:00:00Z') });
    const clock = new ControllableClock();
    const heard: number[] = [];
    clock.on('changed', ({ speed }) => heard.push(speed));
    clock.set(new Date('2026-03-10T08:00:00Z'), 60);
    jest.advanceTimersByTime(1000);
    expect(clock.now().toISOString()).toBe('2026-03-10T08:01:00.000Z');
    // 15 simulated minutes ahead are 15 real seconds away at 60x.
    expect(clock.delayUntil(new Date('2026-03-10T08:16:00Z'))).toBe(15_000);
    expect(clock.at(new Date('2026-11-21T12:00:02Z')).toISOString()).toBe('2026-03-10T08:02:00.000Z');
    expect(heard).toEqual([60]);
  });
});
