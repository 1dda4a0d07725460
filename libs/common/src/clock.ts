/**
 * The time engines decide by. Injected so tests (and, outside production, accelerated simulations) control it;
 * the system clock everywhere else.
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
