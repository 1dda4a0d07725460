import { PriceRule } from './dynamic-price';

export interface SitePricingRule extends PriceRule {
  forecastWeeks: number;
  quoteTtlSeconds: number;
}

/** What the price of one resource depends on, besides demand. */
export interface PricingContext {
  timeZone: string;
  currency: string;
  resourceKind: string;
  basePerHourMinor: number;
  planId: string | null;
  discountPct: number;
  rule: SitePricingRule;
}

export interface StoredQuote {
  id: string;
  siteId: string;
  resourceId: string;
  memberId: string | null;
  start: Date;
  end: Date;
  priceMinor: number;
  currency: string;
  breakdown: Record<string, unknown>;
  createdAt: Date;
  expiresAt: Date;
  bookingId: string | null;
}

export const DEFAULT_RULE: SitePricingRule = {
  targetUtilisation: 0.5,
  sensitivity: 1,
  minMultiplier: 0.8,
  maxMultiplier: 1.5,
  floorPerHourMinor: null,
  ceilingPerHourMinor: null,
  forecastWeeks: 8,
  quoteTtlSeconds: 900,
};
