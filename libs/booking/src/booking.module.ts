import { Module } from '@nestjs/common';
import { IngestCoreModule } from '@cw/ingest';
import { BookingsController } from './bookings.controller';
import { BookingsEvents } from './bookings.events';
import { BookingsRepository } from './bookings.repository';
import { BookingsService } from './bookings.service';
import { ExternalBookingsListener } from './external-bookings.listener';
import { BookingPricer, FlatBookingPricer } from './pricing/booking-pricer';

@Module({
  imports: [IngestCoreModule],
  controllers: [BookingsController],
  providers: [
    BookingsRepository,
    BookingsService,
    BookingsEvents,
    ExternalBookingsListener,
    // Dynamic pricing replaces this binding; everything else asks for BookingPricer.
    { provide: BookingPricer, useClass: FlatBookingPricer },
  ],
  exports: [BookingsService, BookingsEvents, BookingsRepository, ExternalBookingsListener, BookingPricer],
})
export class BookingModule {}
