import { TypedEmitter } from './typed-emitter';

/**
 * The time engines decide by. Injected so tests and, outside production, accelerated simulations control it; the
 * system clock everywhere else. Timers ask `delayUntil` rather than subtracting from Date.now(), so they follow a
 * clock that runs faster than the wall.
 */
export abstract class Clock extends TypedEmitter<{ changed: { now: Date; speed: number } }> {
  abstract now(): Date;
  /** The clock's reading at a given wall-clock instant (the same instant for the system clock). */
  abstract at(wall: Date): Date;
  /** Real milliseconds to wait until the clock reads `at` (0 when it already has). */
  abstract delayUntil(at: Date): number;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }

  at(wall: Date): Date {
    return wall;
  }

  delayUntil(at: Date): number {
    return Math.max(0, at.getTime() - Date.now());
  }
}

/**
 * A clock a simulator can set and speed up (`PUT /v1/clock`), so a day of events replayed in minutes is judged by
 * the time written on the events. Never available in production (refused at boot).
 */
export class ControllableClock extends Clock {
  private baseSim = Date.now();
  private baseWall = Date.now();
  private rate = 1;

  now(): Date {
    return this.at(new Date());
  }

  at(wall: Date): Date {
    return new Date(this.baseSim + (wall.getTime() - this.baseWall) * this.rate);
  }

  get speed(): number {
    return this.rate;
  }

  delayUntil(at: Date): number {
    return Math.max(0, (at.getTime() - this.now().getTime()) / this.rate);
  }

  set(now: Date, speed: number): void {
    this.baseSim = now.getTime();
    this.baseWall = Date.now();
    this.rate = speed;
    this.emit('changed', { now, speed });
  }
}
