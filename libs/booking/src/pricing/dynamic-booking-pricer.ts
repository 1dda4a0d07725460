import { Injectable } from '@nestjs/common';
import { Queryable } from '@cw/database';
import { PricingService } from '@cw/pricing';
import { BookingPricer, Quote, QuoteInput } from './booking-pricer';

/**
 * Bookings priced by dynamic peak pricing: the quote the booker was given, when they name one (single use, before it
 * expires, for the same slot), else the live price. With no demand history, or a kind whose rule has sensitivity 0,
 * this is the flat base price.
 */
@Injectable()
export class DynamicBookingPricer extends BookingPricer {
  constructor(private readonly pricing: PricingService) {
    super();
  }

  async quote(input: QuoteInput, q?: Queryable): Promise<Quote> {
    const request = {
      siteId: input.siteId,
      resourceId: input.resourceId,
      start: input.start,
      end: input.end,
      memberId: input.memberId,
    };
    if (input.quoteId && input.bookingId && q)
      return this.pricing.honourQuote({ ...request, quoteId: input.quoteId, bookingId: input.bookingId }, q);
    return this.pricing.price(request, q);
  }
}
