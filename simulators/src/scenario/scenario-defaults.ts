import { Weekday } from '../zoned-time';
import { BehaviourConfig, PlanKind, PLAN_KINDS, PopulationConfig } from './scenario.schema';

/** Fridays and weekends are quieter in every coworking space; a scenario overrides any of these. */
export const DEFAULT_WEEKDAY_ATTENDANCE: Record<Weekday, number> = {
  mon: 1,
  tue: 1,
  wed: 1,
  thu: 0.95,
  fri: 0.8,
  sat: 0.35,
  sun: 0.25,
};

export const DEFAULT_PLAN_ATTENDANCE: Record<PlanKind, number> = {
  flex: 0.5,
  fixed_desk: 0.78,
  private_office: 0.72,
  day_pass: 0.05,
};

export function attendanceFactor(behaviour: BehaviourConfig, day: Weekday): number {
  return behaviour.attendance[day] ?? DEFAULT_WEEKDAY_ATTENDANCE[day];
}

/** Members per plan: a count as given, or a share of `members` rounded to a whole person. */
export function planCounts(population: PopulationConfig): Record<PlanKind, number> {
  const counts = { flex: 0, fixed_desk: 0, private_office: 0, day_pass: 0 };
  for (const kind of PLAN_KINDS) {
    const plan = population.plans[kind];
    if (plan) counts[kind] = plan.count ?? Math.round((plan.share ?? 0) * (population.members ?? 0));
  }
  return counts;
}
