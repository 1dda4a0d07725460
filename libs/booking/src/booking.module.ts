import { Module } from '@nestjs/common';
import { CreditsModule } from '@cw/credits';
import { IngestCoreModule } from '@cw/ingest';
import { BookingsController } from './bookings.controller';
import { BookingsEvents } from './bookings.events';
import { BookingsRepository } from './bookings.repository';
import { BookingsService } from './bookings.service';
import { ExternalBookingsListener } from './external-bookings.listener';
import { BookingChargesRepository } from './payment/booking-charges.repository';
import { PaidBookings } from './payment/paid-bookings';
import { BookingPricer, FlatBookingPricer } from './pricing/booking-pricer';
import { BookingRulesController } from './rules/booking-rules.controller';
import { BookingRulesRepository } from './rules/booking-rules.repository';

@Module({
  imports: [IngestCoreModule, CreditsModule],
  controllers: [BookingsController, BookingRulesController],
  providers: [
    BookingsRepository,
    BookingsService,
    BookingsEvents,
    ExternalBookingsListener,
    BookingRulesRepository,
    BookingChargesRepository,
    PaidBookings,
    // Dynamic pricing replaces this binding; everything else asks for BookingPricer.
    { provide: BookingPricer, useClass: FlatBookingPricer },
  ],
  exports: [
    BookingsService,
    BookingsEvents,
    BookingsRepository,
    ExternalBookingsListener,
    BookingPricer,
    BookingRulesRepository,
  ],
})
export class BookingModule {}
