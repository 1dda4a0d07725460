import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock, DomainError, ErrorCode, invalid, notFound } from '@cw/common';
import { Queryable } from '@cw/database';
import { dynamicPrice } from './dynamic-price';
import { hourSlices } from './local-hours';
import { PricingRepository } from './pricing.repository';
import { StoredQuote } from './pricing.types';

export interface PriceRequest {
  siteId: string;
  resourceId: string;
  start: Date;
  end: Date;
  memberId: string | null;
}

export interface Price {
  priceMinor: number;
  currency: string;
  breakdown: Record<string, unknown>;
}

const MAX_BOOKING_MS = 7 * 24 * 3_600_000;

/**
 * Quotes: base x the demand multiplier of each hour of week (forecast from the KPI aggregates), bounded per kind,
 * less the member's plan discount. A quote is stored with an expiry; a booking that claims it in time pays exactly
 * the quoted price, and a booking keeps its price whatever pricing says later (the charge stores it).
 */
@Injectable()
export class PricingService {
  constructor(
    private readonly repo: PricingRepository,
    private readonly clock: Clock,
  ) {}

  async price(request: PriceRequest, q?: Queryable): Promise<Price> {
    return (await this.evaluate(request, q)).price;
  }

  private async evaluate(
    request: PriceRequest,
    q?: Queryable,
  ): Promise<{ price: Price; ttlSeconds: number }> {
    if (request.end <= request.start)
      throw invalid('end must be after start', [{ path: 'end', message: 'must be after start' }]);
    if (request.end.getTime() - request.start.getTime() > MAX_BOOKING_MS)
      throw invalid('a quote covers at most 7 days', [
        { path: 'end', message: 'at most 7 days after start' },
      ]);
    const ctx = await this.repo.context(
      request.siteId,
      request.resourceId,
      request.memberId,
      request.start,
      q,
    );
    if (!ctx) throw notFound(`resource ${request.resourceId}`);
    const forecast = await this.repo.kindUtilisationByHourOfWeek(
      request.siteId,
      ctx.resourceKind,
      this.clock.now(),
      ctx.rule.forecastWeeks,
      q,
    );
    const minutes = Math.round((request.end.getTime() - request.start.getTime()) / 60_000);
    const price = dynamicPrice({
      basePerHourMinor: ctx.basePerHourMinor,
      discountPct: ctx.discountPct,
      rule: ctx.rule,
      slices: hourSlices(request.start, request.end, ctx.timeZone),
      forecast,
    });
    const result: Price = {
      priceMinor: price.priceMinor,
      currency: ctx.currency,
      breakdown: {
        pricer: 'dynamic',
        basePerHourMinor: price.basePerHourMinor,
        minutes,
        // the base price of the slot before demand and discount, for comparison with what is charged
        baseMinor: Math.floor((price.basePerHourMinor * minutes) / 60 + 0.5),
        resourceKind: ctx.resourceKind,
        planId: ctx.planId,
        discountPct: price.discountPct,
        floorPerHourMinor: ctx.rule.floorPerHourMinor,
        ceilingPerHourMinor: ctx.rule.ceilingPerHourMinor,
        forecastWeeks: ctx.rule.forecastWeeks,
        forecastAvailable: forecast.size > 0,
        hours: price.slices,
      },
    };
    return { price: result, ttlSeconds: ctx.rule.quoteTtlSeconds };
  }

  async createQuote(request: PriceRequest): Promise<StoredQuote> {
    const now = this.clock.now();
    if (request.start < now)
      throw invalid('a quote is for a slot that has not started', [
        { path: 'start', message: 'is in the past' },
      ]);
    const { price, ttlSeconds } = await this.evaluate(request);
    const quote: StoredQuote = {
      id: `q_${randomUUID()}`,
      siteId: request.siteId,
      resourceId: request.resourceId,
      memberId: request.memberId,
      start: request.start,
      end: request.end,
      priceMinor: price.priceMinor,
      currency: price.currency,
      breakdown: price.breakdown,
      createdAt: now,
      expiresAt: new Date(now.getTime() + ttlSeconds * 1000),
      bookingId: null,
    };
    await this.repo.insertQuote(quote);
    return quote;
  }

  async getQuote(siteId: string, id: string): Promise<StoredQuote> {
    const quote = await this.repo.findQuote(siteId, id);
    if (!quote) throw notFound(`quote ${id}`);
    return quote;
  }

  /**
   * The price a booking pays for a quote it names, inside the booking's transaction: the quote must be for the same
   * resource, slot and member, unexpired, and not claimed by another booking. The claim makes it single-use.
   */
  async honourQuote(
    request: PriceRequest & { quoteId: string; bookingId: string },
    q: Queryable,
  ): Promise<Price> {
    const quote = await this.repo.findQuote(request.siteId, request.quoteId, q, true);
    if (!quote) throw notFound(`quote ${request.quoteId}`);
    const matches =
      quote.resourceId === request.resourceId &&
      +quote.start === +request.start &&
      +quote.end === +request.end &&
      quote.memberId === request.memberId;
    if (!matches)
      throw new DomainError(ErrorCode.Conflict, `quote ${quote.id} is for another resource, slot or member`);
    if (quote.bookingId !== null && quote.bookingId !== request.bookingId)
      throw new DomainError(
        ErrorCode.Conflict,
        `quote ${quote.id} was already used by booking ${quote.bookingId}`,
      );
    if (quote.expiresAt <= this.clock.now())
      throw new DomainError(
        ErrorCode.Conflict,
        `quote ${quote.id} expired at ${quote.expiresAt.toISOString()}; ask for a new one`,
      );
    await this.repo.claimQuote(request.siteId, quote.id, request.bookingId, q);
    return {
      priceMinor: quote.priceMinor,
      currency: quote.currency,
      breakdown: { ...quote.breakdown, quoteId: quote.id },
    };
  }
}
