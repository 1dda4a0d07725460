import { Module } from '@nestjs/common';
import { CreditsModule } from '@cw/credits';
import { IngestCoreModule } from '@cw/ingest';
import { PricingModule } from '@cw/pricing';
import { BookingsController } from './bookings.controller';
import { BookingsEvents } from './bookings.events';
import { BookingsRepository } from './bookings.repository';
import { BookingsService } from './bookings.service';
import { ExternalBookingsListener } from './external-bookings.listener';
import { BookingChargesRepository } from './payment/booking-charges.repository';
import { PaidBookings } from './payment/paid-bookings';
import { BookingPricer } from './pricing/booking-pricer';
import { DynamicBookingPricer } from './pricing/dynamic-booking-pricer';
import { BookingRulesController } from './rules/booking-rules.controller';
import { BookingRulesRepository } from './rules/booking-rules.repository';

@Module({
  imports: [IngestCoreModule, CreditsModule, PricingModule],
  controllers: [BookingsController, BookingRulesController],
  providers: [
    BookingsRepository,
    BookingsService,
    BookingsEvents,
    ExternalBookingsListener,
    BookingRulesRepository,
    BookingChargesRepository,
    PaidBookings,
    // Bookings pay the dynamic peak price (the flat base price until there is demand history); everything else asks
    // for BookingPricer, so an operator's own pricing can replace this binding.
    { provide: BookingPricer, useClass: DynamicBookingPricer },
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
