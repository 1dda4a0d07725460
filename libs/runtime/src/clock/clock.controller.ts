import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '@cw/auth';
import { Clock, ControllableClock, DomainError, ErrorCode, ZodBody } from '@cw/common';
import { z } from 'zod';

const setClockSchema = z
  .object({
    now: z
      .string()
      .datetime({ offset: true })
      .transform((v) => new Date(v)),
    speed: z.number().positive().max(100_000).default(1),
  })
  .strict();

/** The clock interface for simulations (CLOCK_CONTROL=on, never in production). */
@ApiTags('operations')
@ApiBearerAuth()
@Controller('v1/clock')
@Roles('admin')
export class ClockController {
  constructor(private readonly clock: Clock) {}

  @Get()
  read() {
    return {
      now: this.clock.now().toISOString(),
      speed: this.clock instanceof ControllableClock ? this.clock.speed : 1,
      controllable: this.clock instanceof ControllableClock,
    };
  }

  /** Sets the simulated time and how many simulated milliseconds pass per real one; timers re-arm on it. */
  @Put()
  set(@Body(new ZodBody(setClockSchema)) body: z.infer<typeof setClockSchema>) {
    if (!(this.clock instanceof ControllableClock)) {
      throw new DomainError(
        ErrorCode.Forbidden,
        'the clock is not controllable here: start the platform with CLOCK_CONTROL=on outside production',
      );
    }
    this.clock.set(body.now, body.speed);
    return this.read();
  }
}
