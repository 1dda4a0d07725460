import { DemandCurve, demandMultiplier } from './demand-multiplier';
import { HourSlice } from './local-hours';

export interface PriceRule extends DemandCurve {
  /** Bounds of the demand-adjusted price per hour, in minor units; null: unbounded on that side. */
  floorPerHourMinor: number | null;
  ceilingPerHourMinor: number | null;
}

export interface PricedSlice {
  start: string;
  end: string;
  minutes: number;
  hourOfWeek: number;
  forecastUtilisation: number | null;
  multiplier: number;
  /** base x multiplier, clamped to floor and ceiling: the list rate of this hour */
  listPerHourMinor: number;
  /** the list rate less the plan's discount: what the member pays per hour */
  perHourMinor: number;
  amountMinor: number;
}

export interface DynamicPrice {
  priceMinor: number;
  basePerHourMinor: number;
  discountPct: number;
  slices: PricedSlice[];
}

const halfUp = (value: number): number => Math.floor(value + 0.5);

/**
 * The price of a booking: for each hour slice, base per hour x the demand multiplier of that hour of week, clamped
 * to the kind's floor and ceiling (the list rate, always inside the bounds whatever the forecast), then less the
 * plan's discount (a member's negotiated benefit applies to the list rate, so it may take a rate below the floor);
 * the slice pays that rate for its minutes.
 */
export function dynamicPrice(input: {
  basePerHourMinor: number;
  discountPct: number;
  rule: PriceRule;
  slices: HourSlice[];
  /** Forecast utilisation per hour of week (0..1); a missing hour prices at the base (multiplier 1). */
  forecast: ReadonlyMap<number, number>;
}): DynamicPrice {
  const { rule } = input;
  const slices = input.slices.map((slice): PricedSlice => {
    const u = input.forecast.get(slice.hourOfWeek);
    const multiplier = u === undefined ? 1 : demandMultiplier(u, rule);
    let list = input.basePerHourMinor * multiplier;
    if (rule.floorPerHourMinor !== null) list = Math.max(rule.floorPerHourMinor, list);
    if (rule.ceilingPerHourMinor !== null) list = Math.min(rule.ceilingPerHourMinor, list);
    const listPerHourMinor = halfUp(list);
    const perHourMinor = halfUp((listPerHourMinor * (100 - input.discountPct)) / 100);
    return {
      start: slice.start.toISOString(),
      end: slice.end.toISOString(),
      minutes: slice.minutes,
      hourOfWeek: slice.hourOfWeek,
      forecastUtilisation: u ?? null,
      multiplier: Math.round(multiplier * 1000) / 1000,
      listPerHourMinor,
      perHourMinor,
      amountMinor: halfUp((perHourMinor * slice.minutes) / 60),
    };
  });
  return {
    priceMinor: slices.reduce((sum, s) => sum + s.amountMinor, 0),
    basePerHourMinor: input.basePerHourMinor,
    discountPct: input.discountPct,
    slices,
  };
}
