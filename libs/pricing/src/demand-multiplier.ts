/**
 * How demand moves a price: linear in the forecast utilisation around a target, clamped to a band. Linear and
 * clamped keeps it monotone (more demand never lowers the price) and easy to explain on a quote.
 */
export interface DemandCurve {
  /** Utilisation (0..1) at which the base price applies unchanged. */
  targetUtilisation: number;
  /** Multiplier change per unit of utilisation away from the target (0: no dynamic pricing). */
  sensitivity: number;
  minMultiplier: number;
  maxMultiplier: number;
}

export const DEFAULT_CURVE: DemandCurve = {
  targetUtilisation: 0.5,
  sensitivity: 1,
  minMultiplier: 0.8,
  maxMultiplier: 1.5,
};

export function demandMultiplier(utilisation: number, curve: DemandCurve): number {
  const u = Number.isFinite(utilisation) ? Math.min(1, Math.max(0, utilisation)) : 0;
  const raw = 1 + curve.sensitivity * (u - curve.targetUtilisation);
  return Math.min(curve.maxMultiplier, Math.max(curve.minMultiplier, raw));
}
