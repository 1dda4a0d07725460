import { Module } from '@nestjs/common';
import { IngestCoreModule } from '@cw/ingest';
import { BookingsController } from './bookings.controller';
import { BookingsEvents } from './bookings.events';
import { BookingsRepository } from './bookings.repository';
import { BookingsService } from './bookings.service';
import { ExternalBookingsListener } from './external-bookings.listener';

@Module({
  imports: [IngestCoreModule],
  controllers: [BookingsController],
  providers: [BookingsRepository, BookingsService, BookingsEvents, ExternalBookingsListener],
  exports: [BookingsService, BookingsEvents, BookingsRepository, ExternalBookingsListener],
})
export class BookingModule {}
