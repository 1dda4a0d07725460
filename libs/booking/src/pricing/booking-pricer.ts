import { Injectable } from '@nestjs/common';
import { notFound } from '@cw/common';
import { Database, Queryable } from '@cw/database';

export interface QuoteInput {
  siteId: string;
  resourceId: string;
  start: Date;
  end: Date;
  memberId: string | null;
  /** A quote the booker was given earlier, to be honoured (once) instead of today's price. */
  quoteId?: string;
  /** The booking being priced, when there is one (a quote honoured for it is tied to it). */
  bookingId?: string;
}

export interface Quote {
  priceMinor: number;
  currency: string;
  /** How the price was reached (base, multipliers, discounts), stored with the booking's charge as quoted. */
  breakdown: Record<string, unknown>;
}

/**
 * The pricing hook: what a booking of a resource costs, for whom. Bound to FlatBookingPricer until dynamic pricing
 * replaces the binding; a confirmed booking keeps the price it was quoted, whatever a later binding says.
 */
export abstract class BookingPricer {
  /**
   * With `q`, the booking's transaction: every read and write goes through it (on the embedded database a query on
   * another connection would wait for that transaction to end), and a refusal rolls the booking back.
   */
  abstract quote(input: QuoteInput, q?: Queryable): Promise<Quote>;
}

/** Half-up rounding of a non-negative rational, in integers so no float drift reaches money. */
function roundHalfUp(numerator: number, denominator: number): number {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

/** The flat price arithmetic, pure: base per hour x minutes, then the plan's percent off, each rounded half up. */
export function flatPrice(basePerHourMinor: number, minutes: number, discountPct: number) {
  const baseMinor = roundHalfUp(basePerHourMinor * minutes, 60);
  const discountMinor = roundHalfUp(baseMinor * discountPct, 100);
  return { baseMinor, discountMinor, priceMinor: baseMinor - discountMinor };
}

interface PricingRow {
  base_price_minor: number;
  currency: string;
  plan_id: string | null;
  booking_discount_pct: number | null;
}

/**
 * Base price per hour of the resource times the booked hours (by the minute), less the booking discount of the plan
 * the member holds on the booking's local start date.
 */
@Injectable()
export class FlatBookingPricer extends BookingPricer {
  constructor(private readonly db: Database) {
    super();
  }

  async quote(input: QuoteInput, q: Queryable = this.db): Promise<Quote> {
    const { rows } = await q.query<PricingRow>(
      `SELECT r.base_price_minor, s.currency, p.plan_id, p.booking_discount_pct
       FROM resources r
       JOIN sites s ON s.id = r.site_id
       LEFT JOIN LATERAL cw_plan_held(r.site_id, $3::text, $4::timestamptz, s.time_zone) p ON true
       WHERE r.site_id = $1 AND r.id = $2`,
      [input.siteId, input.resourceId, input.memberId, input.start.toISOString()],
    );
    const row = rows[0];
    if (!row) throw notFound(`resource ${input.resourceId}`);
    const minutes = Math.round((input.end.getTime() - input.start.getTime()) / 60_000);
    const discountPct = row.booking_discount_pct ?? 0;
    const price = flatPrice(row.base_price_minor, minutes, discountPct);
    return {
      priceMinor: price.priceMinor,
      currency: row.currency.trim(),
      breakdown: {
        pricer: 'flat',
        basePerHourMinor: row.base_price_minor,
        minutes,
        baseMinor: price.baseMinor,
        planId: row.plan_id,
        discountPct,
        discountMinor: price.discountMinor,
      },
    };
  }
}
