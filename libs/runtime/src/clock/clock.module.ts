import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@cw/config';
import { Clock, ControllableClock, SystemClock } from '@cw/common';
import { ClockController } from './clock.controller';

/** The one clock of the process: the system clock, or a controllable one when CLOCK_CONTROL=on. */
@Global()
@Module({
  controllers: [ClockController],
  providers: [
    {
      provide: Clock,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        config.get('CLOCK_CONTROL') ? new ControllableClock() : new SystemClock(),
    },
  ],
  exports: [Clock],
})
export class ClockModule {}
